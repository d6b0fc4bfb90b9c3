#pragma once

#include <memory>
#include <string>

#include "apply/progress.h"

namespace run::cli {

enum class ProgressStyle {
  kLive,   ///< a terminal: one line per action, redrawn with its state and time
  kPlain,  ///< a log: one line when an action starts and one when it ends
  kJson,   ///< one JSON object per line: scripts and log shippers
};

/// Chooses the style: --progress json|plain|live, else live on a terminal, plain otherwise.
ProgressStyle progress_style(const std::string& flag, bool color);

/// A progress sink writing to stderr in the given style.
std::unique_ptr<apply::ProgressSink> make_progress_view(ProgressStyle style, bool color);

}  // namespace run::cli
