#include "cli/record_number_flag.h"

#include <charconv>

namespace run::cli {

CLI::Validator record_number_check() {
  return CLI::Validator(
      [](std::string& text) {
        int value = 0;
        auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (error == std::errc() && end == text.data() + text.size() && value > 0)
          return std::string();
        return "'" + text + "' is not a record number (1 or more; 'run history' lists them)";
      },
      "N");
}

}  // namespace run::cli
