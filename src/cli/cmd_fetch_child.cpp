// run __fetch DIR REMOTE BRANCH: internal, not a command for people (hidden from --help).
// The reconcile loop runs its own executable with it to fetch in a child process it can kill
// at --fetch-timeout, since libgit2 1.5's fetch has no timeout (process/fetch_child.h). It
// prints the reply of history/fetch_protocol.h on stdout, and exits 0 when it fetched.
#include <cstdio>
#include <memory>

#include "cli/command_table.h"
#include "history/fetch_protocol.h"
#include "history/remote_fetch.h"

namespace run::cli {

namespace {

struct FetchChildArguments {
  std::string project_directory;
  std::string remote;
  std::string branch;
};

ExitCode run_fetch_child(const FetchChildArguments& arguments) {
  Result<history::FetchedBranch> fetched =
      history::fetch_branch(arguments.project_directory, arguments.remote, arguments.branch);
  std::string reply = history::fetch_reply_text(fetched);
  std::fwrite(reply.data(), 1, reply.size(), stdout);
  std::fflush(stdout);
  return fetched ? ExitCode::kSuccess : ExitCode::kError;
}

}  // namespace

void add_fetch_child_command(CLI::App& app, const GlobalOptions&, CommandAction& action) {
  // No description and no group: CLI11 leaves it out of --help.
  CLI::App* command = app.add_subcommand(history::kFetchCommand, "");
  command->group("");
  auto arguments = std::make_shared<FetchChildArguments>();
  command->add_option("DIR", arguments->project_directory)->required();
  command->add_option("REMOTE", arguments->remote)->required();
  command->add_option("BRANCH", arguments->branch)->required();
  command->callback(
      [&action, arguments] { action = [arguments] { return run_fetch_child(*arguments); }; });
}

}  // namespace run::cli
