// libFuzzer target: a .dockerignore as a build context holds it, then matched against a few
// paths. Any input must end in rules or an error: never a crash or a hang (a pattern with many
// '*' and '**' must not take exponential time).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "build/dockerignore.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  run::Result<run::build::IgnoreRules> rules = run::build::IgnoreRules::parse(text);
  if (!rules) return 0;
  for (const char* path : {"Dockerfile", "src/app/server.sh", "a/b/c/d/e/f/g/h/i/j/k.log",
                           "node_modules/x/y", ".git/config", "README.md"})
    (void)rules->excluded(path);
  (void)rules->excluded(std::string(text.substr(0, 512)));
  return 0;
}
