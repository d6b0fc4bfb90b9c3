#include "model/desired_state.h"

#include <algorithm>

namespace run::model {

const ServiceSpec* DesiredState::find_service(const std::string& name) const {
  auto it = std::find_if(services.begin(), services.end(),
                         [&](const ServiceSpec& s) { return s.name == name; });
  return it == services.end() ? nullptr : &*it;
}

std::string_view to_string(DependencyCondition condition) {
  switch (condition) {
    case DependencyCondition::kStarted:
      return "started";
    case DependencyCondition::kHealthy:
      return "healthy";
    case DependencyCondition::kCompletedSuccessfully:
      return "completed_successfully";
  }
  return "started";
}

std::string_view to_string(UpdateOrder order) {
  return order == UpdateOrder::kStartFirst ? "start-first" : "stop-first";
}

}  // namespace run::model
