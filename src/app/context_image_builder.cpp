#include "app/context_image_builder.h"

#include "app/build_resolution.h"
#include "build/context_manifest.h"
#include "build/context_tar.h"
#include "docker/image_build.h"
#include "model/names.h"

namespace run::app {

namespace {

/// Passes each step on as "step 3/7 RUN make"; the output itself is kept by build_image for
/// the error of a failing step.
class StepListener final : public docker::BuildListener {
 public:
  explicit StepListener(const std::function<void(const std::string&)>& on_step)
      : on_step_(on_step) {}
  void step(const docker::BuildStep& step) override {
    on_step_("step " + std::to_string(step.number) + "/" + std::to_string(step.total) + " " +
             step.instruction);
  }
  void output(std::string_view) override {}

 private:
  const std::function<void(const std::string&)>& on_step_;
};

docker::ImageBuildRequest request_for(const std::string& project, const model::ServiceSpec& spec,
                                      bool no_cache) {
  const model::BuildSpec& build = *spec.build;
  docker::ImageBuildRequest request{spec.image,   build.dockerfile, build.args,
                                    build.target, build.labels,     no_cache};
  // Whose image it is, so that clean-up finds it. One label only: the classic builder adds a
  // LABEL step per label, and each step commits a layer (a second each with the vfs driver,
  // measured); the tag already names the content hash.
  request.labels[model::kLabelProject] = project;
  return request;
}

}  // namespace

Status ContextImageBuilder::build(const model::ServiceSpec& spec,
                                  const std::function<void(const std::string&)>& on_step,
                                  const std::atomic<bool>& stop) {
  const model::BuildSpec& build = *spec.build;
  Result<std::unique_ptr<build::ContextTree>> tree = open_context_(build);
  if (!tree) return tree.errors();
  Result<build::BuildManifest> manifest =
      build::read_manifest(**tree, build::BuildInputs{build.dockerfile, build.args, build.target},
                           kMaxBuildContextBytes);
  if (!manifest) return manifest.errors();
  if (manifest->content_hash != build.content_hash)
    return make_error(SourceLocation{}, "",
                      "the build context of " + spec.name + " (" + build.context +
                          ") is not what was planned: it hashes to " +
                          build_tag(manifest->content_hash) + ", the plan built " + spec.image,
                      "a file changed since the plan, or the commit holds other files than the "
                      "record; plan again");
  Status sent = ok_status();
  auto write_tar = [&](const std::function<bool(std::string_view)>& write) {
    sent = build::write_context_tar(**tree, *manifest, write);
    return sent.ok();
  };
  StepListener listener(on_step);
  Result<std::string> image =
      docker::build_image(api_, request_for(project_, spec, no_cache_), write_tar, listener, stop);
  if (!sent) return sent.errors();  // the context's own error says more than a broken upload
  if (!image) return image.errors();
  return ok_status();
}

}  // namespace run::app
