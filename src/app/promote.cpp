#include "app/promote.h"

#include <algorithm>
#include <filesystem>

#include "app/edited_overlay_source.h"
#include "config/desired_state_builder.h"
#include "config/yaml_text_edit.h"
#include "history/history_store.h"
#include "history/recorded_state.h"
#include "plan/promote_fields.h"
#include "plan/promotion.h"

namespace run::app {

namespace {

/// Everything known before the overlay is touched.
struct PromotionContext {
  Target to;  ///< TO's target
  ConfigTarget config;
  history::RecordSummary record;
  model::DesiredState from_state;  ///< as FROM's deployment recorded it
  plan::Promotion promotion;
  std::string overlay_path;   ///< below the project directory: environments/TO.yaml
  std::string overlay_shown;  ///< as messages and the diff name it
};

Status check_from_declared(const PromoteRequest& request, const std::vector<std::string>& declared,
                           const std::string& config_file) {
  if (std::find(declared.begin(), declared.end(), request.from) != declared.end())
    return ok_status();
  return config::unknown_environment(request.from, declared, config_file);
}

/// FROM's last successful deployment: its summary and its recorded desired state.
Result<std::pair<history::RecordSummary, model::DesiredState>> last_deployment(
    const Workspace& workspace, const std::string& project_directory, const std::string& from) {
  Result<std::unique_ptr<history::RecordStore>> store =
      workspace.history(project_directory, history::StoreAccess::kRead);
  if (!store) return store.errors();
  Result<std::optional<history::Record>> record = (*store)->last_successful(from);
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

Result<PromotionContext> prepare(const Workspace& workspace, const PromoteRequest& request) {
  if (request.from == request.to)
    return usage_error("cannot promote " + request.from + " to itself",
                       "name two environments: run promote FROM TO");
  Result<Target> target = workspace.target();
  if (!target) return target.errors();
  PromotionContext context;
  context.to = target->with_environment(request.to);
  Result<ConfigTarget> config = workspace.config(context.to, std::nullopt);
  if (!config) return config.errors();
  context.config = std::move(*config);
  context.config.request.missing_secret = config::MissingSecret::kWarning;  // none is needed
  Result<config::LoadedConfig> to_config =
      config::load_config(*context.config.files, context.config.request);
  if (!to_config) return sorted_unique(to_config.errors());
  if (Status names =
          check_from_declared(request, to_config->environments, to_config->layers.front().file);
      !names)
    return names.errors();
  auto deployed = last_deployment(workspace, context.config.directory, request.from);
  if (!deployed) return deployed.errors();
  context.record = deployed->first;
  context.from_state = std::move(deployed->second);
  context.promotion =
      plan::plan_promotion(context.from_state, config::build_desired_state(*to_config),
                           plan::promote_fields(to_config->merged));
  context.overlay_path = std::string(config::kOverlayDirectory) + "/" + request.to + ".yaml";
  context.overlay_shown = context.config.request.display_prefix + context.overlay_path;
  return context;
}

/// The overlay text with every edit of `promotion` made.
Result<std::string> with_edits(const plan::Promotion& promotion, std::string text,
                               const std::string& overlay_shown) {
  for (const plan::PromotionEdit& edit : promotion.edits) {
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
  EditedOverlaySource files(*context.config.files, context.overlay_path, *text);
  Result<config::LoadedConfig> loaded = config::load_config(files, context.config.request);
  if (!loaded) return sorted_unique(loaded.errors());
  return text;
}

Result<std::string> read_overlay(const config::FileSource& files, const std::string& path) {
  if (!files.exists(path)) return std::string();
  return files.read(path);
}

std::string deployment_name(const history::RecordSummary& record, const std::string& from) {
  std::string text = from + " deployment #" + std::to_string(record.number);
  if (!record.source_commit.empty())
    text += " (config " + record.source_commit.substr(0, 7) +
            (record.source_dirty ? ", dirty" : "") + ")";
  return text;
}

std::string summary_text(const PromotionContext& context, const PromoteRequest& request) {
  std::string text =
      "Promoting " + deployment_name(context.record, request.from) + " to " + request.to + ":\n";
  for (const plan::PromotionEdit& edit : context.promotion.edits)
    text += "  " + plan::edit_line(edit) + "\n";
  for (const std::string& note : context.promotion.notes) text += "  note: " + note + "\n";
  if (context.promotion.edits.empty())
    text +=
        "Nothing to promote: " + request.to + " already has what " + request.from + " deployed.\n";
  return text;
}

/// "promote staging -> production: app tsp/app:1.4.2 -> tsp/app:1.4.3, ..." and a body that
/// names the deployment the values came from.
std::string commit_message(const plan::Promotion& promotion, const history::RecordSummary& record,
                           const PromoteRequest& request) {
  std::string subject = "promote " + request.from + " -> " + request.to + ":";
  for (std::size_t i = 0; i < promotion.edits.size(); ++i)
    subject += (i == 0 ? " " : ", ") + plan::edit_line(promotion.edits[i]);
  std::string body = "From deployment #" + std::to_string(record.number) + " of " + request.from +
                     " (" + history::HistoryStore::ref_name(request.from) + ")";
  if (!record.source_commit.empty()) body += ", made from commit " + record.source_commit;
  return subject + "\n\n" + body + ".\n";
}

Status commit_and_report(history::FileCommit& commit, const std::string& message,
                         PromoteView& view) {
  Result<history::FileCommitDone> done = commit.commit(message);
  if (!done) return done.errors();
  view.say("\nCommitted " + done->commit.substr(0, 7) + " on " + done->branch + ": " +
           message.substr(0, message.find('\n')) + "\n");
  if (!done->index_warning.empty())
    view.warn(Diagnostic{Severity::kWarning, SourceLocation{}, "", done->index_warning,
                         "git add " + commit.path_in_repository()});
  return ok_status();
}

/// HEAD's overlay and the promotion as it would be made on HEAD's configuration.
struct HeadOverlay {
  CommittedOverlay overlay;
  plan::Promotion promotion;
};

std::optional<HeadOverlay> head_overlay(const Workspace& workspace,
                                        const PromotionContext& context) {
  Result<ConfigTarget> head = workspace.config(context.to, std::string("HEAD"));
  if (!head) return std::nullopt;
  head->request.missing_secret = config::MissingSecret::kWarning;
  Result<config::LoadedConfig> loaded = config::load_config(*head->files, head->request);
  Result<std::string> text = read_overlay(*head->files, context.overlay_path);
  if (!loaded || !text) return std::nullopt;
  HeadOverlay result{{*text, head->files->exists(context.overlay_path), std::nullopt},
                     plan::plan_promotion(context.from_state, config::build_desired_state(*loaded),
                                          plan::promote_fields(loaded->merged))};
  if (result.promotion.edits.empty()) return result;
  Result<std::string> promoted = with_edits(result.promotion, *text, context.overlay_shown);
  if (promoted) result.overlay.promoted = std::move(*promoted);
  return result;
}

/// --commit with nothing left to promote.
Status commit_uncommitted(const Workspace& workspace, const PromotionContext& context,
                          const PromoteRequest& request, history::FileCommit& commit,
                          PromoteView& view) {
  Result<std::string> working = read_overlay(*context.config.files, context.overlay_path);
  if (!working) return working.errors();
  std::optional<HeadOverlay> head = head_overlay(workspace, context);
  std::optional<CommittedOverlay> committed;
  if (head) committed = head->overlay;
  switch (classify_uncommitted(committed, *working,
                               context.config.files->exists(context.overlay_path))) {
    case UncommittedOverlay::kCommittedAsIs:
      view.say("Nothing to commit: " + context.overlay_shown + " is committed as it is.\n");
      return ok_status();
    case UncommittedOverlay::kOtherChanges:
      view.say("Nothing committed: the changes of " + context.overlay_shown +
               " that are not committed are not this promotion alone; commit them with git.\n");
      return ok_status();
    case UncommittedOverlay::kThisPromotion:
      break;
  }
  view.say("\n" + context.overlay_shown + " holds this promotion, not committed yet:\n");
  view.diff(head->overlay.text, *working, head->overlay.exists, context.overlay_shown);
  return commit_and_report(commit, commit_message(head->promotion, context.record, request), view);
}

/// Shows the promotion, writes the overlay, shows its diff, and commits it when asked.
Status write_promotion(const Workspace& workspace, const PromotionContext& context,
                       const PromoteRequest& request, PromoteView& view) {
  Result<std::string> before = read_overlay(*context.config.files, context.overlay_path);
  if (!before) return before.errors();
  Result<std::string> after = edited_overlay(context, *before);
  if (!after) return after.errors();
  std::optional<history::FileCommit> commit;
  if (request.commit == CommitOverlay::kYes) {
    Result<history::FileCommit> prepared =
        history::FileCommit::prepare(context.config.directory, context.overlay_path);
    if (!prepared) return prepared.errors();
    commit.emplace(std::move(*prepared));
  }
  view.say(summary_text(context, request));  // only now: a refused promotion shows nothing
  bool existed = context.config.files->exists(context.overlay_path);
  std::string path =
      (std::filesystem::path(context.config.directory) / context.overlay_path).string();
  if (Status written = workspace.replace_file(path, *after); !written) return written;
  view.say("\n");
  view.diff(*before, *after, existed, context.overlay_shown);
  if (!commit) return ok_status();
  return commit_and_report(*commit, commit_message(context.promotion, context.record, request),
                           view);
}

/// Nothing to promote: says so, and with --commit commits an earlier promotion's edit.
Status nothing_to_promote(const Workspace& workspace, const PromotionContext& context,
                          const PromoteRequest& request, PromoteView& view) {
  std::optional<history::FileCommit> commit;
  if (request.commit == CommitOverlay::kYes) {
    Result<history::FileCommit> prepared = history::FileCommit::prepare(
        context.config.directory, context.overlay_path, history::OwnChanges::kCommit);
    if (!prepared) return prepared.errors();
    commit.emplace(std::move(*prepared));
  }
  view.say(summary_text(context, request));
  if (!commit) return ok_status();
  return commit_uncommitted(workspace, context, request, *commit, view);
}

}  // namespace

UncommittedOverlay classify_uncommitted(const std::optional<CommittedOverlay>& committed,
                                        const std::string& working, bool working_exists) {
  if (committed && committed->text == working && committed->exists == working_exists)
    return UncommittedOverlay::kCommittedAsIs;
  if (!committed || !committed->promoted || *committed->promoted != working)
    return UncommittedOverlay::kOtherChanges;
  return UncommittedOverlay::kThisPromotion;
}

Result<PromoteOutcome> promote(const Workspace& workspace, const PromoteRequest& request,
                               PromoteView& view) {
  Result<PromotionContext> context = prepare(workspace, request);
  if (!context) return context.errors();
  bool edited = !context->promotion.edits.empty();
  Status done = edited ? write_promotion(workspace, *context, request, view)
                       : nothing_to_promote(workspace, *context, request, view);
  if (!done) return done.errors();
  return PromoteOutcome{context->to, edited};
}

}  // namespace run::app
