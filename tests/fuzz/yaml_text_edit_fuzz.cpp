// libFuzzer target: the YAML text editor `run promote` uses (config::set_scalar) on arbitrary
// bytes as an environment file, setting paths that run's promotion sets (an image, a tag) and
// ones that meet odd keys. Any input must end in the edited text or a refusal: never a crash
// or a read past the text (set_scalar checks each edit with the parser itself).
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/yaml_text_edit.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The fuzzer's own buffer, not a copy: a std::string's terminating NUL would hide a read
  // one past the end from the address sanitizer.
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::vector<std::string>> paths = {
      {"services", "app", "image"}, {"services", "app", "tag"}, {"a"}, {"a", "b"}, {"?", ":"}};
  const std::vector<std::string> values = {"registry.example/app:1.2.3", "", "yes", "a: b #c",
                                           "line\nbreak"};
  for (std::size_t i = 0; i < paths.size(); ++i) {
    run::Result<std::string> edited =
        run::config::set_scalar(text, paths[i], values[i], "environments/fuzz.yaml");
    (void)edited;
  }
  return 0;
}
