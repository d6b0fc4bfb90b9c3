#include "reconcile/tick_report.h"

namespace run::reconcile {

std::string_view to_string(TickResult result) {
  switch (result) {
    case TickResult::kSuccess:
      return "success";
    case TickResult::kFailure:
      return "failure";
    case TickResult::kSkipped:
      return "skipped";
  }
  return "failure";
}

}  // namespace run::reconcile
