// libFuzzer target: the whole configuration pipeline (parse, merge, interpolate, validate,
// semantic checks) on arbitrary bytes as run-config.yaml. Any input must end in a value or
// in diagnostics: never a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/config_loader.h"
#include "config/file_source.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  run::config::MemorySource files;
  files.add("run-config.yaml", text);
  files.add("environments/production.yaml", "services:\n  app:\n    replicas: 3\n");
  run::config::LoadRequest request;
  request.environment = "production";
  request.process_environment = {{"TAG", "1.0"}, {"RUN_SECRET_PASSWORD", "hunter2"}};
  run::Result<run::config::LoadedConfig> loaded = run::config::load_config(files, request);
  (void)loaded;
  return 0;
}
