#pragma once

#include <CLI/CLI.hpp>

namespace run::cli {

/// Checks a record number on the command line (`show N`, `rollback --to N`): 1 or more.
CLI::Validator record_number_check();

}  // namespace run::cli
