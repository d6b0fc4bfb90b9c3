// run diff: the field-level difference between two rendered desired states, each an
// environment in the working tree (ENV) or at a git revision (REV:ENV).
#include <unistd.h>

#include <algorithm>

#include "cli/command_table.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "model/document_diff.h"
#include "render/document_diff_render.h"

namespace run::cli {

namespace {

struct DiffFlags {
  std::string a;
  std::string b;
  bool exit_code = false;
};

/// What one side of the diff names: an environment, and the revision it is read at (empty:
/// the working tree).
struct Operand {
  std::string revision;
  std::string environment;
};

/// `ENV` or `REV:ENV`. The environment is after the last ':', since a revision may hold one
/// (`main@{2024-01-01 10:00}`) and an environment name cannot.
Result<Operand> parse_operand(const std::string& text) {
  std::size_t colon = text.rfind(':');
  if (colon == std::string::npos) return Operand{"", text};
  Operand operand{text.substr(0, colon), text.substr(colon + 1)};
  if (operand.revision.empty() || operand.environment.empty())
    return make_error(
        SourceLocation{}, "", "'" + text + "' is not ENV or REV:ENV",
        "name an environment (staging), or a revision and an environment (HEAD~1:staging)");
  return operand;
}

struct LoadedSide {
  render::DiffSide side;
  model::Node document;
  Diagnostics warnings;
};

/// The rendered state of one side, loaded as `run render` loads it: a secret without a value
/// is a warning, since no value is shown.
Result<LoadedSide> load_side(const GlobalOptions& global, const Operand& operand) {
  std::optional<std::string> revision;
  if (!operand.revision.empty()) revision = operand.revision;
  Result<app::ConfigTarget> target = open_config(global, revision, operand.environment);
  if (!target) return target.errors();
  target->request.missing_secret = config::MissingSecret::kWarning;
  Result<config::LoadedConfig> loaded = config::load_config(*target->files, target->request);
  if (!loaded) return sorted_unique(loaded.errors());
  LoadedSide side{{operand.environment, operand.revision, {}, {}},
                  std::move(loaded->merged),
                  std::move(loaded->warnings)};
  if (target->revision) {
    side.side.commit_id = target->revision->commit_id;
    side.side.short_id = target->revision->short_id;
  }
  return side;
}

bool is_secret(const std::optional<model::Node>& value) { return value && value->sensitive; }

bool lists_a_secret(const model::DocumentDiff& diff) {
  return std::any_of(
      diff.differences.begin(), diff.differences.end(),
      [](const model::FieldDifference& field) { return is_secret(field.a) || is_secret(field.b); });
}

std::string rendered(const model::DocumentDiff& diff, const LoadedSide& a, const LoadedSide& b,
                     const std::string& format, const GlobalOptions& global) {
  if (format == "json") return render::document_diff_json(diff, a.side, b.side);
  if (format == "markdown") return render::document_diff_markdown(diff, a.side, b.side);
  bool color = color_enabled(global, STDOUT_FILENO);
  return render::document_diff_text(diff, a.side, b.side,
                                    color ? render::Color::kYes : render::Color::kNo);
}

ExitCode run_diff(const GlobalOptions& global, const DiffFlags& flags) {
  Result<std::string> format = output_format(global, "diff", {"text", "markdown", "json"});
  if (!format) return fail(format.errors(), global);
  Result<Operand> operand_a = parse_operand(flags.a);
  if (!operand_a) return fail(operand_a.errors(), global);
  Result<Operand> operand_b = parse_operand(flags.b);
  if (!operand_b) return fail(operand_b.errors(), global);
  Result<LoadedSide> a = load_side(global, *operand_a);
  if (!a) return fail(a.errors(), global);
  Result<LoadedSide> b = load_side(global, *operand_b);  // -C is applied once (open_workspace)
  if (!b) return fail(b.errors(), global);
  model::DocumentDiff diff = model::diff_documents(a->document, b->document);
  if (lists_a_secret(diff)) {
    // A secret without a value on one side is a difference: the warnings say which it is.
    Diagnostics warnings = a->warnings;
    warnings.insert(warnings.end(), b->warnings.begin(), b->warnings.end());
    if (!warnings.empty()) print_diagnostics(sorted_unique(std::move(warnings)), global);
  }
  print_result(rendered(diff, *a, *b, *format, global));
  if (flags.exit_code && !diff.identical())
    return ExitCode::kError;  // git diff --exit-code: 1 when they differ
  return ExitCode::kSuccess;
}

}  // namespace

void add_diff_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command = app.add_subcommand(
      "diff", "Compare the rendered configuration of two environments or revisions");
  auto flags = std::make_shared<DiffFlags>();
  command
      ->add_option("A", flags->a,
                   "ENV, or REV:ENV for the environment as committed at git revision REV")
      ->required();
  command->add_option("B", flags->b, "ENV, or REV:ENV (e.g. HEAD~1:production)")->required();
  command->add_flag("--exit-code", flags->exit_code,
                    "Exit 1 when A and B differ, as git diff --exit-code does");
  command->footer(
      "Compares the merged, interpolated state of A and B (what 'run render' prints) field by\n"
      "field, and lists each field that changed (~), is only in B (+) or only in A (-), sorted\n"
      "by path, with the file:line that set each side. REV:ENV reads the committed files at REV\n"
      "(HEAD~1, main, a tag or a commit) without a checkout; .env and .run/secrets/ come from the\n"
      "working tree. Secrets are shown as (sensitive); a secret whose value differs is listed.\n"
      "-o markdown writes a pull-request comment, -o json the format of docs/output-contract.md.\n"
      "Exit 0, or 1 with --exit-code when A and B differ; 1 on error.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_diff(global, *flags); };
  });
}

}  // namespace run::cli
