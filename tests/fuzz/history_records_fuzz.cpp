// libFuzzer target: the files of a deployment record (state.json, result.json) as a damaged
// or foreign history ref would give them. Any input must end in a value or diagnostics.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "history/result_json.h"
#include "history/state_json.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)run::history::state_from_json(text, "state.json");
  (void)run::history::result_from_json(text, "result.json");
  return 0;
}
