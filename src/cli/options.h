#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/exit_code.h"

namespace run::cli {

/// The flags every command accepts (DESIGN.md, "Commands").
struct GlobalOptions {
  std::string directory;            ///< -C DIR: run as if started in DIR
  std::string config_file;          ///< -f FILE, else $RUN_CONFIG, else found upwards
  std::string environment;          ///< --env NAME, else $RUN_ENV, else default_environment
  std::string output;               ///< -o FORMAT; each command checks what it supports
  bool no_color = false;            ///< --no-color (NO_COLOR in the environment does the same)
  bool verbose = false;             ///< -v
  bool quiet = false;               ///< -q
  std::string log_format = "text";  ///< --log-format text|json
};

/// What a command does once the command line is parsed. Set by the command's parse callback;
/// main runs it after CLI11 is done.
using CommandAction = std::function<ExitCode()>;

}  // namespace run::cli
