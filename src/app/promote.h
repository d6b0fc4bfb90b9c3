#pragma once

#include <optional>
#include <string>

#include "app/target.h"
#include "app/workspace.h"
#include "core/result.h"
#include "history/file_commit.h"

namespace run::app {

/// Whether `run promote` commits the overlay it edited.
enum class CommitOverlay { kNo, kYes };

struct PromoteRequest {
  std::string from;
  std::string to;
  CommitOverlay commit = CommitOverlay::kNo;
};

/// What a promotion shows as it goes.
class PromoteView {
 public:
  virtual ~PromoteView() = default;
  /// A result for the user (the promotion's summary, what was committed).
  virtual void say(const std::string& text) = 0;
  /// The overlay's change, as a unified diff of `shown` (`existed`: it was there before).
  virtual void diff(const std::string& before, const std::string& after, bool existed,
                    const std::string& shown) = 0;
  virtual void warn(const Diagnostic& warning) = 0;
};

/// How a promotion ended: TO's target, to plan or apply next, and whether anything was
/// written.
struct PromoteOutcome {
  Target to;
  bool edited = false;
};

/// Reads FROM's last successful deployment and writes its promotable fields into
/// environments/TO.yaml as a surgical text edit; with CommitOverlay::kYes, commits that file
/// alone. The edit, TO's configuration with it, and the commit are all checked before
/// anything is shown or written. With nothing left to promote, an uncommitted overlay that is
/// exactly this promotion made on HEAD's configuration (an earlier `run promote` wrote it) is
/// committed; anything else is left for the user to commit with git.
Result<PromoteOutcome> promote(const Workspace& workspace, const PromoteRequest& request,
                               PromoteView& view);

/// Whether an overlay's uncommitted text is this promotion alone.
enum class UncommittedOverlay {
  kCommittedAsIs,  ///< the working tree's overlay is HEAD's
  kThisPromotion,  ///< it is HEAD's with exactly the promotion's edits made
  kOtherChanges,   ///< anything else: for the user to commit
};

/// The overlay as HEAD has it, and what the promotion's edits make of it.
struct CommittedOverlay {
  std::string text;  ///< empty when HEAD has no overlay
  bool exists = false;
  std::optional<std::string> promoted;  ///< HEAD's text with the edits; none: no edits apply
};

/// Compares the working tree's overlay with HEAD's (none when HEAD's configuration cannot be
/// read). Pure.
UncommittedOverlay classify_uncommitted(const std::optional<CommittedOverlay>& committed,
                                        const std::string& working, bool working_exists);

}  // namespace run::app
