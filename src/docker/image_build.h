#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "docker/docker_api.h"

namespace run::docker {

/// What to build, as POST /build takes it.
struct ImageBuildRequest {
  std::string tag;                            ///< "tsp/app:3f2a1bc04d1e"
  std::string dockerfile;                     ///< its path inside the context; empty: Dockerfile
  std::map<std::string, std::string> args;    ///< build arguments (ARG)
  std::string target;                         ///< a multi-stage target; empty: the last stage
  std::map<std::string, std::string> labels;  ///< set on the image
  bool no_cache = false;
};

/// One "Step N/M : INSTRUCTION" line of the classic builder.
struct BuildStep {
  int number = 0;
  int total = 0;
  std::string instruction;  ///< "RUN ./configure", as the Dockerfile wrote it
};

/// What a build says as it goes, for a view to show.
class BuildListener {
 public:
  virtual ~BuildListener() = default;
  /// A step begins.
  virtual void step(const BuildStep& step) = 0;
  /// Any other line: the builder's own (" ---> Running in 1c2d"), or what a step printed.
  virtual void output(std::string_view line) = 0;
};

/// How many of a failing step's last lines of output its error carries, and the most of each.
inline constexpr std::size_t kBuildTailLines = 20;
inline constexpr std::size_t kBuildTailLineBytes = 240;

/// The POST /build path for `request`: t, dockerfile, buildargs and labels (JSON), target,
/// nocache, rm and forcerm, every value url-encoded. Never pull=1: a build must not contact a
/// registry for a base image it already has.
std::string build_path(const ImageBuildRequest& request);

/// Builds `request` with the classic builder from the tar `context_tar` writes (streamed, never
/// held), telling `listener` each step and line of output. The built image's id
/// ("sha256:..."; the short id when the daemon says only "Successfully built ..."). A failure
/// arrives inside the answer; its error names the failing step ("step 3/7 RUN ./configure: exit
/// code 1") and carries the step's last lines of output (kBuildTailLines, each at most
/// kBuildTailLineBytes). A stop closes the connection, which cancels the build on the daemon,
/// and returns an error saying it was interrupted. Lines that are not JSON are output.
Result<std::string> build_image(DockerApi& api, const ImageBuildRequest& request,
                                const BodyWriter& context_tar, BuildListener& listener,
                                const std::atomic<bool>& stop);

}  // namespace run::docker
