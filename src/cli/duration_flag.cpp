#include "cli/duration_flag.h"

#include "cli/flag_error.h"
#include "model/units.h"

namespace run::cli {

Result<std::chrono::milliseconds> duration_flag(const std::string& name, const std::string& text,
                                                ZeroDuration zero) {
  bool zero_allowed = zero == ZeroDuration::kAllowed;
  std::optional<std::int64_t> milliseconds =
      zero_allowed && text == "0" ? std::optional<std::int64_t>(0) : model::parse_duration_ms(text);
  if (!milliseconds || (!zero_allowed && *milliseconds <= 0))
    return make_error(SourceLocation{}, "", name + " '" + text + "' is not a duration",
                      zero_allowed ? "write e.g. 30s, 5m or 0s" : "write e.g. 30s, 5m or 1h");
  return std::chrono::milliseconds(*milliseconds);
}

CLI::Option* add_duration_option(CLI::App& command, const std::string& name,
                                 std::chrono::milliseconds& value, ZeroDuration zero,
                                 const std::string& description) {
  return command
      .add_option_function<std::string>(
          name,
          [name, &value, zero](const std::string& text) {
            Result<std::chrono::milliseconds> parsed = duration_flag(name, text, zero);
            if (!parsed) throw FlagError(parsed.errors());
            value = *parsed;
          },
          description)
      ->type_name("DURATION");
}

}  // namespace run::cli
