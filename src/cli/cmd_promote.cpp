// run promote FROM TO: what FROM last deployed successfully, written into TO's overlay as a
// surgical text edit; then TO's plan, and with --apply, the apply.
#include <unistd.h>

#include "app/environment_plan.h"
#include "app/promote.h"
#include "cli/change_command.h"
#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "render/plan_text.h"
#include "render/text_diff.h"

namespace run::cli {

namespace {

struct PromoteFlags {
  std::string from;
  std::string to;
  bool apply = false;
  bool commit = false;
  ChangeFlags change;  ///< --auto-approve and the other flags of apply, for --apply
};

/// A promotion on the terminal: results and the overlay's diff on stdout, warnings on stderr.
class TerminalPromoteView final : public app::PromoteView {
 public:
  explicit TerminalPromoteView(const GlobalOptions& global) : global_(global) {}
  void say(const std::string& text) override { print_result(text); }
  void diff(const std::string& before, const std::string& after, bool existed,
            const std::string& shown) override {
    render::Color color =
        color_enabled(global_, STDOUT_FILENO) ? render::Color::kYes : render::Color::kNo;
    print_result(render::unified_diff(before, after, existed ? "a/" + shown : "/dev/null",
                                      "b/" + shown, color));
  }
  void warn(const Diagnostic& warning) override { print_diagnostics({warning}, global_); }

 private:
  const GlobalOptions& global_;
};

/// TO's plan after the promotion, as 'run plan --env TO' shows it.
ExitCode show_plan(const GlobalOptions& global, const app::Workspace& workspace,
                   const app::Target& to, const PromoteFlags& flags) {
  Result<app::LoadedEnvironment> loaded = app::load_environment(workspace, to);
  if (!loaded) return fail(loaded.errors(), global);
  Result<std::unique_ptr<app::Engine>> engine =
      workspace.engine(loaded->desired.engine, loaded->desired.target, loaded->project_directory);
  if (!engine) return fail(engine.errors(), global);
  Result<app::EnvironmentPlan> planned =
      app::plan_environment(**engine, workspace, loaded->project_directory,
                            std::move(loaded->desired), {flags.change.options.prune_volumes});
  if (!planned) return fail(planned.errors(), global);
  if (!planned->plan.errors.empty()) return fail(planned->plan.errors, global);
  bool color = color_enabled(global, STDOUT_FILENO);
  print_result(render::plan_text(planned->plan, color ? render::Color::kYes : render::Color::kNo));
  return ExitCode::kSuccess;
}

/// --apply: TO converged as 'run apply --env TO' does.
ExitCode apply_promoted(const GlobalOptions& global, const app::Workspace& workspace,
                        const app::Target& to, const PromoteFlags& flags) {
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  Result<app::LoadedEnvironment> loaded = app::load_environment(workspace, to);
  if (!loaded) return fail(loaded.errors(), global);
  app::ConvergeRequest request;
  request.verb = "apply";
  request.desired = std::move(loaded->desired);
  request.project_directory = loaded->project_directory;
  request.options = flags.change.options;
  Result<std::unique_ptr<app::Engine>> engine =
      workspace.engine(request.desired.engine, request.desired.target, request.project_directory);
  if (!engine) return fail(engine.errors(), global);
  return run_change(global, workspace, **engine, request, flags.change, watch);
}

ExitCode run_promote(const GlobalOptions& global, const PromoteFlags& flags) {
  Result<std::string> format = output_format(global, "promote", {"text"});
  if (!format) return fail(format.errors(), global);
  Result<std::unique_ptr<app::LocalWorkspace>> workspace = open_workspace(global);
  if (!workspace) return fail(workspace.errors(), global);
  TerminalPromoteView view(global);
  app::PromoteRequest request{flags.from, flags.to,
                              flags.commit ? app::CommitOverlay::kYes : app::CommitOverlay::kNo};
  Result<app::PromoteOutcome> promoted = app::promote(**workspace, request, view);
  if (!promoted) return fail(promoted.errors(), global);
  if (!promoted->edited && !flags.apply) return ExitCode::kSuccess;
  print_result("\n");
  if (flags.apply) return apply_promoted(global, **workspace, promoted->to, flags);
  return show_plan(global, **workspace, promoted->to, flags);
}

}  // namespace

void add_promote_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command = app.add_subcommand(
      "promote", "Copy what one environment last deployed into another's overlay");
  auto flags = std::make_shared<PromoteFlags>();
  command
      ->add_option("FROM", flags->from,
                   "The environment whose last successful deployment is promoted")
      ->required();
  command
      ->add_option("TO", flags->to,
                   "The environment whose overlay, environments/TO.yaml, is edited")
      ->required();
  command->add_flag("--apply", flags->apply,
                    "Then apply TO, as 'run apply --env TO' does (it asks first)");
  command->add_flag("--commit", flags->commit,
                    "Commit the overlay change alone, on the current branch");
  add_change_flags(*command, flags->change);
  command->footer(
      "Reads FROM's last successful deployment record (refs/run/history/FROM) and writes its\n"
      "promotable fields into environments/TO.yaml: every service's image, or what the\n"
      "top-level 'promote:' list of run-config.yaml names (image, env.NAME). The file is\n"
      "edited in place: a value is replaced where it stands, a missing key is added, and\n"
      "comments and layout stay. A service only FROM has, and any secret, is left out with a\n"
      "note. Prints the change, the overlay's diff and TO's plan. --commit then commits only\n"
      "the overlay (refused, before anything is written, when the overlay has changes of its\n"
      "own that are not committed; other staged files stay staged). --apply applies TO after\n"
      "that, asking as 'run apply' does unless --auto-approve; the deployment record then\n"
      "names the promotion's commit. Exit 0 (also when there is nothing to promote), 1 on\n"
      "error (nothing is written), or apply's exit code with --apply.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_promote(global, *flags); };
  });
}

}  // namespace run::cli
