#pragma once

#include <atomic>
#include <functional>
#include <string>

#include "core/result.h"
#include "model/desired_state.h"

namespace run::apply {

/// Makes the image of a service's `build:` section for the executor, which decides nothing
/// about where the context's files come from (the working tree, or the commit a rollback
/// goes back to) or how they reach the engine.
class ImageBuilder {
 public:
  virtual ~ImageBuilder() = default;
  /// Builds `spec`'s image, tagged `spec.image`, from exactly the inputs its content hash
  /// names (a context that changed since the plan is an error). `on_step` hears each step
  /// ("step 3/7 RUN make"). An error names the failing step and the last lines of its
  /// output; a stop cancels the build.
  virtual Status build(const model::ServiceSpec& spec,
                       const std::function<void(const std::string&)>& on_step,
                       const std::atomic<bool>& stop) = 0;
};

}  // namespace run::apply
