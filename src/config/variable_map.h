#pragma once

#include <functional>
#include <map>
#include <string>

namespace run::config {

/// Variables by name: the process environment, `.env`, a secrets file. Looked up by
/// string_view without a copy.
using VariableMap = std::map<std::string, std::string, std::less<>>;

}  // namespace run::config
