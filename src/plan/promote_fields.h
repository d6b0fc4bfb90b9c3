#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostic.h"
#include "model/document.h"

namespace run::plan {

/// A field of every service that `run promote FROM TO` copies from FROM's last successful
/// deployment into TO's overlay: the image, or one environment variable. The top-level
/// `promote:` list of run-config.yaml names them; without it, only the image is promoted.
struct PromoteField {
  enum class Kind { kImage, kEnv };
  Kind kind = Kind::kImage;
  std::string env_name;  ///< for kEnv: the variable's name

  /// As written in `promote:`: "image" or "env.NAME".
  std::string text() const;
  /// Where the field sits below `services.<name>` in a config file: {"image"} or {"env", NAME}.
  std::vector<std::string> path() const;

  bool operator==(const PromoteField&) const = default;
};

/// "image" or "env.NAME" (NAME not empty; it may hold dots); nullopt for anything else.
std::optional<PromoteField> parse_promote_field(std::string_view text);

/// The fields a loaded (merged, validated) configuration promotes, in the order of its
/// `promote:` list, or [image] when it has none. An empty list promotes nothing.
std::vector<PromoteField> promote_fields(const model::Node& merged);

/// The checks of the top-level `promote:` list that its schema cannot make: every item names
/// a field promote can copy (with a suggestion, e.g. `environment.X` -> `env.X`), and none is
/// listed twice. Appends one diagnostic per problem to `out`.
void check_promote_list(const model::Node& root, Diagnostics& out);

}  // namespace run::plan
