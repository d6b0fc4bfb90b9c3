#pragma once

#include <string>

#include "model/desired_state.h"

namespace run::model {

/// `text` with each value of the service's sensitive env (4 characters or more: a shorter one
/// would blank out ordinary words) replaced by "(sensitive)". Pure.
std::string redact_secrets(std::string text, const ServiceSpec& spec);

}  // namespace run::model
