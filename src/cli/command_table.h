#pragma once

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

#include "cli/options.h"

namespace run::cli {

/// Adds one subcommand to `app`; its callback stores what to run in `action`.
using CommandRegistrar = void (*)(CLI::App& app, const GlobalOptions& global,
                                  CommandAction& action);

void add_validate_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_render_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_explain_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_diff_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_plan_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_apply_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_build_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_status_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_logs_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_exec_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_task_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_destroy_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_history_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_show_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_rollback_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_promote_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_reconcile_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_force_unlock_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
void add_version_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);
/// `run __fetch`: internal, hidden from --help (cli/cmd_fetch_child.cpp).
void add_fetch_child_command(CLI::App& app, const GlobalOptions& global, CommandAction& action);

/// Every command that works, in the order `run --help` lists them. A command is added here
/// only when it is built: nothing is registered as a placeholder. The last, hidden, is the
/// internal child of reconcile's fetch.
inline constexpr CommandRegistrar kCommands[] = {
    add_validate_command,  add_render_command,       add_explain_command,  add_diff_command,
    add_plan_command,      add_apply_command,        add_build_command,    add_status_command,
    add_logs_command,      add_exec_command,         add_task_command,     add_destroy_command,
    add_history_command,   add_show_command,         add_rollback_command, add_promote_command,
    add_reconcile_command, add_force_unlock_command, add_version_command,  add_fetch_child_command,
};

/// Builds the whole command line: global flags, then each command of kCommands.
void build_command_line(CLI::App& app, GlobalOptions& global, CommandAction& action);

/// An error message, with a suggestion, when the first word of the command line that is not
/// an option or an option's value names no command: CLI11 would only say "a subcommand is
/// required".
std::optional<std::string> unknown_command(CLI::App& app, int argc, const char* const* argv);

}  // namespace run::cli
