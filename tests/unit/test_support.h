#pragma once

// Helpers shared by the unit tests: a minimal valid configuration, and short ways to parse,
// load and validate files held in memory.

#include <doctest/doctest.h>

#include <optional>
#include <string>

#include "config/config_loader.h"
#include "config/file_source.h"
#include "config/yaml_loader.h"
#include "core/diagnostic.h"
#include "model/document.h"

namespace run::test {

/// The smallest configuration that passes every check; tests append to it or replace parts.
inline constexpr std::string_view kMinimalConfig =
    "version: \"2\"\n"
    "project: demo\n"
    "services:\n"
    "  app:\n"
    "    image: app:1\n"
    "environments:\n"
    "  dev: {}\n";

/// Parses `text` as file `file_name`; fails the test when it does not parse.
inline model::Node parse_ok(std::string_view text,
                            const std::string& file_name = "run-config.yaml") {
  Result<model::Node> parsed = config::parse_yaml(text, file_name);
  if (!parsed) FAIL("unexpected error: " << format_diagnostic(parsed.errors().front()));
  return std::move(parsed).value();
}

/// The one diagnostic `text` is refused with; fails the test when it parses or gives several.
inline Diagnostic parse_error(std::string_view text,
                              const std::string& file_name = "run-config.yaml",
                              const config::YamlLimits& limits = {}) {
  Result<model::Node> parsed = config::parse_yaml(text, file_name, limits);
  if (parsed) FAIL("expected a parse error for input starting with: " << text.substr(0, 60));
  CHECK(parsed.errors().size() == 1);
  return parsed.errors().front();
}

inline config::LoadRequest request_for(std::optional<std::string> environment) {
  config::LoadRequest request;
  request.environment = std::move(environment);
  return request;
}

/// A MemorySource holding run-config.yaml with `base`.
inline config::MemorySource files_with(std::string_view base) {
  config::MemorySource files;
  files.add("run-config.yaml", std::string(base));
  return files;
}

/// Every diagnostic formatted, one per line group, in order.
inline std::string formatted(const Diagnostics& diagnostics) {
  std::string text;
  for (const Diagnostic& diagnostic : diagnostics) text += format_diagnostic(diagnostic) + "\n";
  return text;
}

/// validate_config of `files` for `environment` (all when none), formatted.
inline std::string validate_text(const config::FileSource& files,
                                 std::optional<std::string> environment = {}) {
  return formatted(config::validate_config(files, request_for(std::move(environment))));
}

/// Loads `files` for `environment`; fails the test when loading fails.
inline config::LoadedConfig load_ok(const config::FileSource& files, config::LoadRequest request) {
  Result<config::LoadedConfig> loaded = config::load_config(files, request);
  if (!loaded) FAIL("unexpected errors:\n" << formatted(loaded.errors()));
  return std::move(loaded).value();
}

/// The scalar text at `path` of `root`, or "<missing>".
inline std::string text_at(const model::Node& root, std::string_view path) {
  std::optional<std::vector<std::string>> steps = model::parse_path(path);
  REQUIRE(steps);
  const model::Node* node = model::lookup(root, *steps);
  return node ? node->text : std::string("<missing>");
}

}  // namespace run::test
