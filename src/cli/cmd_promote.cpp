// run promote FROM TO: what FROM last deployed successfully, written into TO's overlay as a
// surgical text edit; then TO's plan, and with --apply, the apply.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "cli/apply_run.h"
#include "cli/command_table.h"
#include "cli/config_target.h"
#include "cli/output.h"
#include "cli/plan_session.h"
#include "config/desired_state_builder.h"
#include "config/promotion.h"
#include "config/yaml_text_edit.h"
#include "core/did_you_mean.h"
#include "history/file_commit.h"
#include "history/history_store.h"
#include "history/recorded_state.h"
#include "render/plan_text.h"
#include "render/text_diff.h"

namespace run::cli {

namespace {

namespace fs = std::filesystem;

struct PromoteFlags {
  std::string from;
  std::string to;
  bool apply = false;
  bool commit = false;
  ApplyFlags change;  ///< --auto-approve and the other flags of apply, for --apply
};

Diagnostic usage_error(std::string message, std::string hint = {}) {
  return make_error(SourceLocation{}, "", std::move(message), std::move(hint));
}

/// TO's configuration as the overlay edit would leave it: the edited text is validated
/// before it is written, so a promotion that breaks TO's configuration changes nothing.
class EditedOverlaySource final : public config::FileSource {
 public:
  EditedOverlaySource(const config::FileSource& files, std::string overlay_path, std::string text)
      : files_(files), overlay_path_(std::move(overlay_path)), text_(std::move(text)) {}
  Result<std::string> read(const std::string& path) const override {
    return path == overlay_path_ ? Result<std::string>(text_) : files_.read(path);
  }
  bool exists(const std::string& path) const override {
    return path == overlay_path_ || files_.exists(path);
  }
  std::vector<std::string> list(const std::string& directory) const override {
    std::vector<std::string> names = files_.list(directory);
    fs::path overlay(overlay_path_);
    std::string name = overlay.filename().string();
    if (overlay.parent_path() == directory &&
        std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
      std::sort(names.begin(), names.end());
    }
    return names;
  }

 private:
  const config::FileSource& files_;
  std::string overlay_path_;
  std::string text_;
};

/// Everything known before the overlay is touched.
struct PromotionContext {
  ConfigTarget target;
  GlobalOptions to_global;  ///< TO as the environment, -C already applied
  history::RecordSummary record;
  model::DesiredState from_state;  ///< as FROM's deployment recorded it
  config::Promotion promotion;
  std::string overlay_path;   ///< below the project directory: environments/TO.yaml
  std::string overlay_shown;  ///< as messages and the diff name it
};

Status check_environment_names(const PromoteFlags& flags, const std::vector<std::string>& declared,
                               const std::string& config_file) {
  if (std::find(declared.begin(), declared.end(), flags.from) != declared.end()) return ok_status();
  std::string hint = did_you_mean(flags.from, declared);
  if (hint.empty()) {
    hint = "declared: ";
    for (std::size_t i = 0; i < declared.size(); ++i) hint += (i == 0 ? "" : ", ") + declared[i];
  }
  return make_error(SourceLocation{config_file, 0, 0}, "environments",
                    "unknown environment '" + flags.from + "'", hint);
}

/// FROM's last successful deployment: its summary and its recorded desired state.
Result<std::pair<history::RecordSummary, model::DesiredState>> last_deployment(
    const std::string& project_directory, const std::string& from) {
  Result<history::HistoryStore> store = history::HistoryStore::open(project_directory);
  if (!store) return store.errors();
  Result<std::optional<history::Record>> record = store->last_successful(from);
  if (!record) return record.errors();
  if (!*record)
    return usage_error("environment " + from +
                       " has no successful deployment yet: run 'run apply --env " + from +
                       "' first");
  const history::RecordSummary& summary = (*record)->summary;
  std::string number = "#" + std::to_string(summary.number);
  if (summary.kind == history::RecordKind::kDestroy)
    return usage_error("the last successful deployment of " + from + " (" + number +
                           ") destroyed it: there is nothing to promote",
                       "deploy " + from + " again first: run apply --env " + from);
  Result<model::DesiredState> state = history::recorded_state(**record);
  if (!state) return state.errors();
  return std::make_pair(summary, std::move(*state));
}

Result<PromotionContext> prepare(const GlobalOptions& global, const PromoteFlags& flags) {
  if (flags.from == flags.to)
    return usage_error("cannot promote " + flags.from + " to itself",
                       "name two environments: run promote FROM TO");
  PromotionContext context;
  context.to_global = global;
  context.to_global.environment = flags.to;
  Result<ConfigTarget> target = resolve_config_target(context.to_global);
  if (!target) return target.errors();
  context.to_global.directory.clear();  // -C is applied: the plan and the apply start from here
  context.target = std::move(*target);
  context.target.request.missing_secret =
      config::MissingSecret::kWarning;  // the promotion needs no secret
  Result<config::LoadedConfig> to_config =
      config::load_config(*context.target.files, context.target.request);
  if (!to_config) return sorted_unique(to_config.errors());
  if (Status names =
          check_environment_names(flags, to_config->environments, to_config->layers.front().file);
      !names)
    return names.errors();
  auto deployed = last_deployment(context.target.directory, flags.from);
  if (!deployed) return deployed.errors();
  context.record = deployed->first;
  context.from_state = std::move(deployed->second);
  context.promotion =
      config::plan_promotion(context.from_state, config::build_desired_state(*to_config),
                             config::promote_fields(to_config->merged));
  context.overlay_path = std::string(config::kOverlayDirectory) + "/" + flags.to + ".yaml";
  context.overlay_shown = context.target.request.display_prefix + context.overlay_path;
  return context;
}

/// The overlay text `before` with every edit of `promotion` made.
Result<std::string> with_edits(const config::Promotion& promotion, std::string text,
                               const std::string& overlay_shown) {
  for (const config::PromotionEdit& edit : promotion.edits) {
    Result<std::string> edited =
        config::set_scalar(text, edit.overlay_path, edit.overlay_text, overlay_shown);
    if (!edited) return edited.errors();
    text = std::move(*edited);
  }
  return text;
}

/// The overlay with the promotion made, checked by loading TO's configuration from it.
Result<std::string> edited_overlay(const PromotionContext& context, const std::string& before) {
  Result<std::string> text = with_edits(context.promotion, before, context.overlay_shown);
  if (!text) return text;
  EditedOverlaySource files(*context.target.files, context.overlay_path, *text);
  Result<config::LoadedConfig> loaded = config::load_config(files, context.target.request);
  if (!loaded) return sorted_unique(loaded.errors());
  return text;
}

Result<std::string> read_overlay(const config::FileSource& files, const std::string& path) {
  if (!files.exists(path)) return std::string();
  return files.read(path);
}

/// Replaces the file in one step (a temporary file renamed over it), keeping its mode: a
/// crash leaves the old overlay or the new one, never half of one.
Status write_atomically(const fs::path& path, const std::string& text) {
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  fs::path temporary = path;
  temporary += ".run-" + std::to_string(::getpid());
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) return usage_error("cannot write " + temporary.string());
  }
  if (fs::exists(path, error))
    fs::permissions(temporary, fs::status(path, error).permissions(), error);
  fs::rename(temporary, path, error);
  if (!error) return ok_status();
  fs::remove(temporary, error);
  return usage_error("cannot replace " + path.string());
}

std::string deployment_name(const history::RecordSummary& record, const std::string& from) {
  std::string text = from + " deployment #" + std::to_string(record.number);
  if (!record.source_commit.empty())
    text += " (config " + record.source_commit.substr(0, 7) +
            (record.source_dirty ? ", dirty" : "") + ")";
  return text;
}

std::string summary_text(const PromotionContext& context, const PromoteFlags& flags) {
  std::string text =
      "Promoting " + deployment_name(context.record, flags.from) + " to " + flags.to + ":\n";
  for (const config::PromotionEdit& edit : context.promotion.edits)
    text += "  " + config::edit_line(edit) + "\n";
  for (const std::string& note : context.promotion.notes) text += "  note: " + note + "\n";
  if (context.promotion.edits.empty())
    text += "Nothing to promote: " + flags.to + " already has what " + flags.from + " deployed.\n";
  return text;
}

/// "promote staging -> production: app tsp/app:1.4.2 -> tsp/app:1.4.3, ..." and a body that
/// names the deployment the values came from.
std::string commit_message(const config::Promotion& promotion, const history::RecordSummary& record,
                           const PromoteFlags& flags) {
  std::string subject = "promote " + flags.from + " -> " + flags.to + ":";
  for (std::size_t i = 0; i < promotion.edits.size(); ++i)
    subject += (i == 0 ? " " : ", ") + config::edit_line(promotion.edits[i]);
  std::string body = "From deployment #" + std::to_string(record.number) + " of " + flags.from +
                     " (" + history::HistoryStore::ref_name(flags.from) + ")";
  if (!record.source_commit.empty()) body += ", made from commit " + record.source_commit;
  return subject + "\n\n" + body + ".\n";
}

Status commit_and_report(history::FileCommit& commit, const std::string& message,
                         const GlobalOptions& global) {
  Result<history::FileCommitDone> done = commit.commit(message);
  if (!done) return done.errors();
  print_result("\nCommitted " + done->commit.substr(0, 7) + " on " + done->branch + ": " +
               message.substr(0, message.find('\n')) + "\n");
  if (!done->index_warning.empty())
    print_diagnostics({Diagnostic{Severity::kWarning, SourceLocation{}, "", done->index_warning,
                                  "git add " + commit.path_in_repository()}},
                      global);
  return ok_status();
}

std::string diff_text(const std::string& before, const std::string& after, bool existed,
                      const std::string& shown, const GlobalOptions& global) {
  render::Color color =
      color_enabled(global, STDOUT_FILENO) ? render::Color::kYes : render::Color::kNo;
  return render::unified_diff(before, after, existed ? "a/" + shown : "/dev/null", "b/" + shown,
                              color);
}

/// The overlay as HEAD has it, and the promotion as it would be made on HEAD's configuration.
struct CommittedOverlay {
  std::string text;  ///< empty when HEAD has no overlay
  bool exists = false;
  config::Promotion promotion;
};

std::optional<CommittedOverlay> committed_overlay(const PromotionContext& context) {
  Result<ConfigTarget> head = resolve_config_target(context.to_global, std::string("HEAD"));
  if (!head) return std::nullopt;
  head->request.missing_secret = config::MissingSecret::kWarning;
  Result<config::LoadedConfig> loaded = config::load_config(*head->files, head->request);
  Result<std::string> text = read_overlay(*head->files, context.overlay_path);
  if (!loaded || !text) return std::nullopt;
  return CommittedOverlay{
      *text, head->files->exists(context.overlay_path),
      config::plan_promotion(context.from_state, config::build_desired_state(*loaded),
                             config::promote_fields(loaded->merged))};
}

/// --commit with nothing left to promote: when the overlay's uncommitted change is exactly
/// this promotion made on HEAD's configuration (an earlier `run promote` wrote it), it is
/// committed; anything else is left for the user to commit with git.
Status commit_uncommitted(const PromotionContext& context, const PromoteFlags& flags,
                          history::FileCommit& commit, const GlobalOptions& global) {
  Result<std::string> working = read_overlay(*context.target.files, context.overlay_path);
  if (!working) return working.errors();
  std::optional<CommittedOverlay> committed = committed_overlay(context);
  if (committed && committed->text == *working &&
      committed->exists == context.target.files->exists(context.overlay_path)) {
    print_result("Nothing to commit: " + context.overlay_shown + " is committed as it is.\n");
    return ok_status();
  }
  Result<std::string> expected =
      committed ? with_edits(committed->promotion, committed->text, context.overlay_shown)
                : Result<std::string>(usage_error("HEAD's configuration cannot be read"));
  if (!committed || committed->promotion.edits.empty() || !expected || *expected != *working) {
    print_result("Nothing committed: the changes of " + context.overlay_shown +
                 " that are not committed are not this promotion alone; commit them with git.\n");
    return ok_status();
  }
  print_result(
      "\n" + context.overlay_shown + " holds this promotion, not committed yet:\n" +
      diff_text(committed->text, *working, committed->exists, context.overlay_shown, global));
  return commit_and_report(commit, commit_message(committed->promotion, context.record, flags),
                           global);
}

ExitCode show_plan(const GlobalOptions& to_global, const PromoteFlags& flags,
                   const GlobalOptions& global) {
  Result<PlanSession> session =
      make_plan_session(to_global, plan::PlanOptions{flags.change.prune_volumes});
  if (!session) return fail(session.errors(), global);
  if (!session->plan.errors.empty()) return fail(session->plan.errors, global);
  bool color = color_enabled(global, STDOUT_FILENO);
  print_result(render::plan_text(session->plan, color ? render::Color::kYes : render::Color::kNo));
  return ExitCode::kSuccess;
}

/// Shows the promotion, writes the overlay, shows its diff, and commits it when asked. The
/// edit, TO's configuration with it, and the commit are all checked before anything is
/// printed or written.
Status write_promotion(const PromotionContext& context, const PromoteFlags& flags,
                       const GlobalOptions& global) {
  Result<std::string> before = read_overlay(*context.target.files, context.overlay_path);
  if (!before) return before.errors();
  Result<std::string> after = edited_overlay(context, *before);
  if (!after) return after.errors();
  std::optional<history::FileCommit> commit;
  if (flags.commit) {
    Result<history::FileCommit> prepared =
        history::FileCommit::prepare(context.target.directory, context.overlay_path);
    if (!prepared) return prepared.errors();
    commit.emplace(std::move(*prepared));
  }
  print_result(summary_text(context, flags));  // only now: a refused promotion prints no plan of it
  bool existed = context.target.files->exists(context.overlay_path);
  if (Status written =
          write_atomically(fs::path(context.target.directory) / context.overlay_path, *after);
      !written)
    return written;
  print_result("\n" + diff_text(*before, *after, existed, context.overlay_shown, global));
  if (!commit) return ok_status();
  return commit_and_report(*commit, commit_message(context.promotion, context.record, flags),
                           global);
}

ExitCode run_promote(const GlobalOptions& global, const PromoteFlags& flags) {
  Result<std::string> format = output_format(global, "promote", {"text"});
  if (!format) return fail(format.errors(), global);
  Result<PromotionContext> context = prepare(global, flags);
  if (!context) return fail(context.errors(), global);
  if (!context->promotion.edits.empty()) {
    if (Status written = write_promotion(*context, flags, global); !written)
      return fail(written.errors(), global);
  } else {
    std::optional<history::FileCommit> commit;
    if (flags.commit) {
      Result<history::FileCommit> prepared = history::FileCommit::prepare(
          context->target.directory, context->overlay_path, history::OwnChanges::kCommit);
      if (!prepared) return fail(prepared.errors(), global);
      commit.emplace(std::move(*prepared));
    }
    print_result(summary_text(*context, flags));
    if (commit) {
      if (Status committed = commit_uncommitted(*context, flags, *commit, global); !committed)
        return fail(committed.errors(), global);
    }
    if (!flags.apply) return ExitCode::kSuccess;
  }
  print_result("\n");
  if (flags.apply)
    return run_changes(context->to_global, flags.change, ChangeMode::kApply, std::nullopt);
  return show_plan(context->to_global, flags, global);
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
