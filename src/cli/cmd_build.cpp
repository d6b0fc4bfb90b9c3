// run build: builds the images of services with a build section, deploying nothing.
#include <unistd.h>

#include "app/build_images.h"
#include "cli/change_flags.h"
#include "cli/command_table.h"
#include "cli/interrupts.h"
#include "cli/output.h"
#include "cli/progress_view.h"
#include "cli/workspace.h"
#include "core/json_text.h"
#include "core/seconds_text.h"

namespace run::cli {

namespace {

struct BuildFlags {
  std::vector<std::string> services;
  bool no_cache = false;
  std::size_t parallelism = 4;
  std::string progress;  ///< live | plain | json; empty: live on a terminal
};

std::string outcome_text(const app::BuildOutcome& outcome) {
  std::string text;
  for (const std::string& image : outcome.up_to_date) text += "up to date: " + image + "\n";
  if (!outcome.report) return text + (outcome.up_to_date.empty() ? "Nothing to build.\n" : "");
  for (std::size_t i = 0; i < outcome.plan.actions.size(); ++i) {
    const apply::ActionResult& result = outcome.report->results[i];
    text += std::string(apply::to_string(result.state)) + ": " + outcome.plan.actions[i].name;
    if (result.state == apply::ActionState::kDone)
      text += " (" + seconds_text(result.seconds) + ")";
    if (!result.message.empty()) text += "\n  " + result.message;
    text += "\n";
  }
  return text;
}

std::string outcome_json(const app::BuildOutcome& outcome) {
  std::string json = "{\"up_to_date\": [";
  for (std::size_t i = 0; i < outcome.up_to_date.size(); ++i)
    json += (i ? ", " : "") + json_quote(outcome.up_to_date[i]);
  json += "], \"built\": [";
  for (std::size_t i = 0; i < outcome.plan.actions.size(); ++i) {
    const plan::Action& action = outcome.plan.actions[i];
    const apply::ActionResult& result = outcome.report->results[i];
    json += std::string(i ? ", " : "") + "{\"service\": " + json_quote(action.service) +
            ", \"image\": " + json_quote(action.name) +
            ", \"state\": " + json_quote(apply::to_string(result.state)) +
            ", \"message\": " + json_quote(result.message) + "}";
  }
  return json + "]}\n";
}

ExitCode run_build(const GlobalOptions& global, const BuildFlags& flags) {
  Result<std::string> format = output_format(global, "build", {"text", "json"});
  if (!format) return fail(format.errors(), global);
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  // A build changes no container: an image half-built is left untagged, and built again.
  watch.on_abort_say("aborted: builds cut short; nothing deployed was changed");
  Result<OpenEnvironment> open = open_environment(global);
  if (!open) return fail(open.errors(), global);
  bool color = color_enabled(global, STDERR_FILENO);
  std::unique_ptr<apply::ProgressSink> progress =
      make_progress_view(progress_style(flags.progress, color), color);
  app::BuildRequest request{flags.services, flags.no_cache, flags.parallelism};
  Result<app::BuildOutcome> outcome = app::build_images(
      *open->engine, *open->workspace, open->loaded, request, *progress, watch.stop_requested());
  progress.reset();  // the live view's last lines are drawn before the summary
  if (!outcome) return fail(outcome.errors(), global);
  print_result(*format == "json" ? outcome_json(*outcome) : outcome_text(*outcome));
  if (!outcome->report) return ExitCode::kSuccess;
  if (outcome->report->interrupted) return ExitCode::kInterrupted;
  return outcome->report->succeeded() ? ExitCode::kSuccess : ExitCode::kError;
}

}  // namespace

void add_build_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command =
      app.add_subcommand("build", "Build the images of services with a build section");
  auto flags = std::make_shared<BuildFlags>();
  command->add_option("SERVICE", flags->services, "Only these services (default: every one built)");
  command->add_flag("--no-cache", flags->no_cache,
                    "Build again, even an image that is up to date, with no cached layer");
  add_parallelism_option(*command, flags->parallelism, "Builds in flight at once (default 4)");
  command
      ->add_option("--progress", flags->progress,
                   "live (a terminal), plain, or json: one event per line on stderr")
      ->type_name("STYLE")
      ->check(CLI::IsMember({"live", "plain", "json"}));
  command->footer(
      "Each image is tagged with the content hash of its inputs (the Dockerfile, build args,\n"
      "target and the context's files after .dockerignore), so an image that exists is up to\n"
      "date and is not built again. Builds use Docker's classic builder and contact no\n"
      "registry. Nothing is deployed: 'run apply' replaces the containers of a rebuilt service.\n"
      "Ctrl-C cancels the builds. -o json for scripts.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_build(global, *flags); };
  });
}

}  // namespace run::cli
