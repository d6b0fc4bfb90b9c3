#pragma once

#include "app/engine.h"
#include "apply/image_builder.h"
#include "docker/docker_api.h"

namespace run::app {

/// Builds a service's image on a Docker engine from its context: the context is opened
/// (the working tree, or a commit), read again and checked against the content hash the plan
/// was made with (a context that changed since is an error: the image would not be what its
/// tag says), and streamed to POST /build as a tar.
class ContextImageBuilder final : public apply::ImageBuilder {
 public:
  ContextImageBuilder(docker::DockerApi& api, std::string project, BuildContextOpener open_context,
                      bool no_cache)
      : api_(api),
        project_(std::move(project)),
        open_context_(std::move(open_context)),
        no_cache_(no_cache) {}

  Status build(const model::ServiceSpec& spec,
               const std::function<void(const std::string&)>& on_step,
               const std::atomic<bool>& stop) override;

 private:
  docker::DockerApi& api_;
  std::string project_;  ///< the run.project label of the images it builds
  BuildContextOpener open_context_;
  bool no_cache_;
};

}  // namespace run::app
