#include "app/build_resolution.h"

#include "build/context_manifest.h"
#include "config/desired_state_builder.h"

namespace run::app {

namespace {

constexpr std::size_t kTagLength = 12;

build::BuildInputs inputs_of(const model::BuildSpec& build) {
  return build::BuildInputs{build.dockerfile, build.args, build.target};
}

std::vector<model::BuildFile> files_of(const build::BuildManifest& manifest) {
  std::vector<model::BuildFile> files;
  files.reserve(manifest.files.size());
  for (const build::ManifestFile& file : manifest.files)
    files.push_back(model::BuildFile{file.path, file.sha256, file.executable, file.symlink});
  return files;
}

/// The errors of reading one service's context, placed at its `context:`.
Diagnostics placed(const Diagnostics& errors, const model::ServiceSpec& spec) {
  Diagnostics out;
  for (const Diagnostic& error : errors) {
    Diagnostic moved = error;
    if (!moved.location.known()) moved.location = spec.build->location;
    if (moved.path.empty()) moved.path = "services." + spec.name + ".build.context";
    out.push_back(std::move(moved));
  }
  return out;
}

Status resolve_one(const Workspace& workspace, const std::string& project_directory,
                   model::ServiceSpec& spec, const std::optional<std::string>& revision) {
  model::BuildSpec& build = *spec.build;
  Result<std::unique_ptr<build::ContextTree>> tree =
      workspace.build_context(project_directory, build.context, revision);
  if (!tree) return placed(tree.errors(), spec);
  Result<build::BuildManifest> manifest =
      build::read_manifest(**tree, inputs_of(build), kMaxBuildContextBytes);
  if (!manifest) return placed(manifest.errors(), spec);
  build.content_hash = manifest->content_hash;
  build.files = files_of(*manifest);
  spec.image = build.repository + ":" + build_tag(build.content_hash);
  spec.config_hash = config::service_config_hash(spec);
  return ok_status();
}

}  // namespace

std::string build_tag(const std::string& content_hash) {
  return content_hash.substr(0, kTagLength);
}

Status resolve_builds(const Workspace& workspace, const std::string& project_directory,
                      model::DesiredState& desired, const std::optional<std::string>& revision) {
  Diagnostics errors;
  for (model::ServiceSpec& spec : desired.services) {
    if (!spec.build) continue;
    if (Status resolved = resolve_one(workspace, project_directory, spec, revision); !resolved)
      for (const Diagnostic& error : resolved.errors()) errors.push_back(error);
  }
  if (!errors.empty()) return errors;
  return ok_status();
}

}  // namespace run::app
