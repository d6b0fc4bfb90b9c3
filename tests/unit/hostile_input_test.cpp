#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/config_loader.h"
#include "config/yaml_loader.h"
#include "test_support.h"

// Each hostile input must end in one diagnostic that names the file: never a crash, a hang
// or an exhausted machine.

namespace run::config {

namespace {

using Clock = std::chrono::steady_clock;

std::string nested_flow_lists(int depth) {
  return "a: " + std::string(depth, '[') + std::string(depth, ']') + "\n";
}

std::string nested_maps(int depth) {
  std::string text;
  for (int i = 0; i < depth; ++i)
    text += std::string(static_cast<std::size_t>(i) * 2, ' ') + "k:\n";
  return text + std::string(static_cast<std::size_t>(depth) * 2, ' ') + "v: 1\n";
}

/// The "billion laughs": 9 levels of lists of 9 aliases to the level below.
std::string alias_bomb() {
  std::string text = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 9; ++level) {
    std::string below = "*l" + std::to_string(level - 1);
    text += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [";
    for (int i = 0; i < 9; ++i) text += (i ? ", " : "") + below;
    text += "]\n";
  }
  return text;
}

/// Loads `base` as run-config.yaml and returns the errors; fails the test when it loads.
Diagnostics load_errors(const MemorySource& files) {
  Result<LoadedConfig> loaded = load_config(files, test::request_for("dev"));
  REQUIRE_FALSE(loaded.ok());
  return loaded.errors();
}

std::string config_with_service(const std::string& name, const std::string& image) {
  return "version: \"2\"\nproject: demo\nservices:\n  " + name + ":\n    image: " + image +
         "\nenvironments:\n  dev: {}\n";
}

/// A temporary directory removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "run-unit-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path); }
};

}  // namespace

TEST_CASE("hostile input: malformed YAML is an error at its line") {
  Diagnostic error = test::parse_error("services:\n  app: [a, b\n  db: {}\n");
  CHECK(error.message.starts_with("invalid YAML: "));
  CHECK(error.location.file == "run-config.yaml");
  CHECK(error.location.line >= 2);
}

TEST_CASE(
    "hostile input: an unclosed quote is an error, not the rest of the file read as one string") {
  // yaml-cpp itself ends such a string at the end of the file without a word.
  Diagnostic error = test::parse_error("image: app\nuser: \"open\nb: 1\nc: 2\n");
  CHECK(format_diagnostic(error) ==
        "run-config.yaml:2:7: error: a quoted string is not closed\n"
        "  hint: add the closing quote; as written, the string runs to the end of the file");
  CHECK(test::parse_error("a: 'it''s open\n").message == "a quoted string is not closed");
  CHECK(test::parse_error("a: &x !!str \"open\n").message == "a quoted string is not closed");
  CHECK(test::parse_error("a: \"escaped \\\"\n").message == "a quoted string is not closed");
}

TEST_CASE(
    "hostile input: closed quotes with escapes, and block scalars, are not mistaken for open "
    "ones") {
  model::Node root = test::parse_ok(
      "a: \"say \\\"hi\\\"\"\nb: 'it''s'\nc: &x !!str \"t\"\nd: |\n  line \"\ne: [\"x\", 'y']\n");
  CHECK(root.find("a")->text == "say \"hi\"");
  CHECK(root.find("b")->text == "it's");
  CHECK(root.find("d")->text == "line \"\n");
  // With a byte order mark, offsets still point at the quote.
  CHECK(test::parse_ok("\xEF\xBB\xBF"
                       "a: \"x\"\nb: 'y'\n")
            .find("b")
            ->text == "y");
  CHECK(test::parse_error("\xEF\xBB\xBF"
                          "a: \"x\"\nb: 'y\n")
            .message == "a quoted string is not closed");
}

TEST_CASE("hostile input: an empty file is an error") {
  Diagnostic error = test::parse_error("");
  CHECK(format_diagnostic(error) ==
        "run-config.yaml: error: the file is empty\n"
        "  hint: expected a mapping with 'version', 'project' and 'services'");
}

TEST_CASE("hostile input: a file that is only ',' is an error, not an empty config or a hang") {
  Diagnostic error = test::parse_error(",");
  CHECK(format_diagnostic(error) ==
        "run-config.yaml:1:1: error: the file is not a YAML mapping\n"
        "  hint: expected a mapping with 'version', 'project' and 'services'");
  CHECK(test::parse_error("\n\n  ,\n").location.to_string() == "run-config.yaml:3:3");
}

TEST_CASE("hostile input: a file of only comments has no content") {
  Diagnostic error = test::parse_error("# nothing here\n   # nor here\n\n");
  CHECK(error.location.file == "run-config.yaml");
  CHECK(format_diagnostic(error) ==
        "run-config.yaml: error: the file has no content\n"
        "  hint: expected a mapping with 'version', 'project' and 'services'");
}

TEST_CASE("hostile input: several documents in one file are refused at the second") {
  Diagnostic error = test::parse_error("a: 1\n---\nb: 2\n");
  CHECK(format_diagnostic(error) ==
        "run-config.yaml:2:1: error: the file holds several YAML documents\n"
        "  hint: run reads one document per file; remove the '---' separators");
}

TEST_CASE("hostile input: a duplicate key is refused at the second one") {
  Diagnostic error = test::parse_error("services:\n  app: {}\n  app: {}\n");
  CHECK(
      format_diagnostic(error) ==
      "run-config.yaml:3:3: error: duplicate key 'app'\n"
      "  hint: it is already set at line 2; YAML keeps one of them silently, so remove the other");
}

TEST_CASE("hostile input: a top-level list is refused") {
  Diagnostic error = test::parse_error("- a\n- b\n");
  CHECK(format_diagnostic(error) ==
        "run-config.yaml:1:1: error: the top level is a list, not a mapping\n"
        "  hint: expected a mapping with 'version', 'project' and 'services'");
}

TEST_CASE("hostile input: a top-level scalar is refused") {
  Diagnostic error = test::parse_error("just text\n");
  CHECK(error.message == "the top level is a string, not a mapping");
}

TEST_CASE("hostile input: lists nested 10,000 deep stop at the depth limit") {
  Diagnostic error = test::parse_error(nested_flow_lists(10'000));
  CHECK(error.message == "nesting is deeper than 64 levels");
  CHECK(error.location.file == "run-config.yaml");
  CHECK(error.location.line == 1);
}

TEST_CASE("hostile input: maps nested 200 deep stop at the depth limit") {
  Diagnostic error = test::parse_error(nested_maps(200));
  CHECK(error.message == "nesting is deeper than 64 levels");
  CHECK(error.location.file == "run-config.yaml");
  CHECK(error.location.line == 65);  // the 65th map opens there
}

TEST_CASE("hostile input: nesting just under the limit loads") {
  YamlLimits limits;
  Result<model::Node> parsed =
      parse_yaml(nested_maps(limits.max_depth - 1), "run-config.yaml", limits);
  CHECK(parsed.ok());
}

TEST_CASE("hostile input: an alias bomb stops at the node budget, quickly") {
  auto start = Clock::now();
  Diagnostic error = test::parse_error(alias_bomb());
  auto elapsed = Clock::now() - start;
  CHECK(error.message ==
        "the document expands to more than " + std::to_string(YamlLimits{}.max_nodes) + " values");
  CHECK(error.hint == "aliases that refer to aliases multiply; is this an alias bomb?");
  CHECK(error.location.file == "run-config.yaml");
  CHECK(error.location.line >= 6);
  CHECK(elapsed < std::chrono::seconds(2));
}

TEST_CASE("hostile input: a smaller node budget stops a smaller bomb") {
  YamlLimits limits;
  limits.max_nodes = 1000;
  Diagnostic error = test::parse_error(alias_bomb(), "bomb.yaml", limits);
  CHECK(error.message == "the document expands to more than 1000 values");
  CHECK(error.location.to_string() == "bomb.yaml:4:10");
}

TEST_CASE("hostile input: aliases nested in aliases cannot build a tree deeper than the limit") {
  // Each level is a short list holding the level below: no single list is deep, but the
  // expanded tree would be, and every walker after the loader recurses over it.
  std::string text = "l0: &l0 [x]\n";
  for (int level = 1; level <= 500; ++level)
    text += "l" + std::to_string(level) + ": &l" + std::to_string(level) + " [*l" +
            std::to_string(level - 1) + "]\n";
  Diagnostic error = test::parse_error(text);
  CHECK(error.message == "nesting is deeper than 64 levels");
  CHECK(error.location.file == "run-config.yaml");
}

TEST_CASE("hostile input: a cyclic alias is refused, not walked forever") {
  Diagnostic error = test::parse_error("a: &x [*x]\n");
  CHECK(format_diagnostic(error) ==
        "run-config.yaml:1:8: error: alias *x refers to a node that contains it (a cyclic alias)");
}

TEST_CASE("hostile input: a cyclic alias through a map is refused") {
  Diagnostic error = test::parse_error("a: &m\n  b: *m\n");
  CHECK(error.message == "alias *m refers to a node that contains it (a cyclic alias)");
  CHECK(error.location.line == 2);
}

TEST_CASE("hostile input: an alias to an undefined anchor is refused") {
  Diagnostic error = test::parse_error("a: *nowhere\n");
  CHECK(error.location.file == "run-config.yaml");
  CHECK_FALSE(error.message.empty());
}

TEST_CASE("hostile input: a 100,000-character plain key is refused by the YAML reader") {
  // YAML limits an implicit key to 1024 characters.
  Diagnostics errors =
      load_errors(test::files_with(config_with_service(std::string(100'000, 'a'), "app:1")));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].location.file == "run-config.yaml");
  CHECK(errors[0].location.line == 4);
  CHECK(errors[0].message.starts_with("invalid YAML: "));
}

TEST_CASE("hostile input: a 100,000-character service name and dependency are refused, quickly") {
  // An explicit key (`? KEY`) has no length limit in YAML.
  std::string text = "version: \"2\"\nproject: demo\nservices:\n  ? " + std::string(100'000, 'a') +
                     "\n  : {image: x, depends_on: [" + std::string(100'000, 'b') +
                     "]}\nenvironments:\n  dev: {}\n";
  auto start = Clock::now();
  Diagnostics errors = load_errors(test::files_with(text));
  CHECK(Clock::now() - start < std::chrono::seconds(2));
  // The schema bounds a depends_on item; valijson counts it without a regex.
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].location.to_string() == "run-config.yaml:5:29");
  CHECK(errors[0].message == "string should be no more than 64 characters in length");
}

TEST_CASE(
    "hostile input: a 100,000-character service name is an invalid name, checked without a regex") {
  std::string text = "version: \"2\"\nproject: demo\nservices:\n  ? " + std::string(100'000, 'a') +
                     "\n  : {image: x}\nenvironments:\n  dev: {}\n";
  auto start = Clock::now();
  Diagnostics errors = load_errors(test::files_with(text));
  CHECK(Clock::now() - start < std::chrono::seconds(2));
  REQUIRE(errors.size() == 1);
  CHECK(format_diagnostic(errors[0]) ==
        "run-config.yaml:4:5: error: invalid name '" + std::string(40, 'a') + "...' (at services." +
            std::string(40, 'a') +
            "...)\n"
            "  hint: use lower-case letters, digits, '-' and '_', starting with a letter or digit, "
            "at most 63 characters");
}

TEST_CASE("hostile input: a long service name and dependency are cut in messages") {
  std::string name(100'000, 'a');
  std::string text = "version: \"2\"\nproject: demo\nservices:\n  ? " + name +
                     "\n  : {image: x, depends_on: {? " + std::string(100'000, 'b') +
                     "\n   : healthy}}\nenvironments:\n  dev: {}\n";
  Diagnostics errors = load_errors(test::files_with(text));
  std::string shown = test::formatted(errors);
  CHECK(shown.find("invalid name '" + std::string(40, 'a') + "...'") != std::string::npos);
  CHECK(shown.size() < 2000);
}

TEST_CASE("hostile input: a 100,000-character image is refused by its length") {
  Diagnostics errors =
      load_errors(test::files_with(config_with_service("app", std::string(100'000, 'i'))));
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].location.to_string() == "run-config.yaml:5:12");
  CHECK(errors[0].path == "services.app.image");
  CHECK(errors[0].message.find("iiiiiiiiii") == std::string::npos);
  CHECK(format_diagnostic(errors[0]).size() < 300);
}

TEST_CASE("hostile input: 20,000 services and an overlay of as many load in linear time") {
  constexpr int kServices = 20'000;
  std::string base = "version: \"2\"\nproject: demo\nservices:\n";
  std::string overlay = "services:\n";
  for (int i = 0; i < kServices; ++i) {
    std::string name = "s" + std::to_string(i);
    base += "  " + name + ": {image: x, depends_on: [s" + std::to_string(i + 1) + "]}\n";
    overlay += "  " + name + ": {replicas: 2}\n";
  }
  base += "  s" + std::to_string(kServices) + ": {image: x}\nenvironments:\n  dev: {}\n";
  MemorySource files = test::files_with(base);
  files.add("environments/dev.yaml", overlay);
  auto start = Clock::now();
  LoadedConfig config = test::load_ok(files, test::request_for("dev"));
  CHECK(Clock::now() - start < std::chrono::seconds(3));
  CHECK(config.merged.find("services")->entries.size() == kServices + 1);
  CHECK(test::text_at(config.merged, "services.s19999.replicas") == "2");
}

TEST_CASE("hostile input: a file over 16 MiB is refused before it is parsed") {
  MemorySource files;
  files.add("run-config.yaml", std::string(kMaxConfigFileBytes + 1, '#'));
  Diagnostics errors = load_errors(files);
  REQUIRE(errors.size() == 1);
  CHECK(format_diagnostic(errors[0]) ==
        "run-config.yaml: error: file is too large (16777217 bytes; the limit is 16777216)");
}

TEST_CASE("hostile input: an overlay over 16 MiB is refused naming the overlay") {
  MemorySource files = test::files_with(test::kMinimalConfig);
  files.add("environments/dev.yaml", std::string(kMaxConfigFileBytes + 1, ' '));
  Diagnostics errors = load_errors(files);
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].location.file == "environments/dev.yaml");
  CHECK(errors[0].message.starts_with("file is too large"));
}

TEST_CASE("hostile input: a directory given as the config file is refused") {
  TempDir dir;
  std::filesystem::create_directory(dir.path / "run-config.yaml");
  FilesystemSource files(dir.path.string());
  Result<LoadedConfig> loaded = load_config(files, test::request_for("dev"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(test::formatted(loaded.errors()) == "run-config.yaml: error: is a directory, not a file\n");
}

TEST_CASE("hostile input: a FIFO given as the config file is refused without blocking") {
  TempDir dir;
  REQUIRE(::mkfifo((dir.path / "run-config.yaml").c_str(), 0600) == 0);
  FilesystemSource files(dir.path.string());
  auto start = Clock::now();
  Result<LoadedConfig> loaded = load_config(files, test::request_for("dev"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(test::formatted(loaded.errors()) ==
        "run-config.yaml: error: is not a regular file (a FIFO, socket or device)\n");
  CHECK(Clock::now() - start < std::chrono::seconds(1));
}

TEST_CASE("hostile input: a FIFO as an overlay is refused naming the overlay") {
  TempDir dir;
  std::ofstream(dir.path / "run-config.yaml") << test::kMinimalConfig;
  std::filesystem::create_directory(dir.path / "environments");
  REQUIRE(::mkfifo((dir.path / "environments" / "dev.yaml").c_str(), 0600) == 0);
  FilesystemSource files(dir.path.string());
  Result<LoadedConfig> loaded = load_config(files, test::request_for("dev"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(test::formatted(loaded.errors()) ==
        "environments/dev.yaml: error: is not a regular file (a FIFO, socket or device)\n");
}

TEST_CASE("hostile input: a missing config file is an error naming it") {
  TempDir dir;
  FilesystemSource files(dir.path.string());
  Result<LoadedConfig> loaded = load_config(files, test::request_for("dev"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(test::formatted(loaded.errors()) ==
        "run-config.yaml: error: cannot read: No such file or directory\n");
}

TEST_CASE("hostile input: every hostile file through load_config names the file") {
  for (const char* text :
       {"", ",", "# only\n", "a: 1\n---\nb: 2\n", "a: 1\na: 2\n", "- x\n", "a: &x [*x]\n", "{"}) {
    CAPTURE(text);
    MemorySource files;
    files.add("run-config.yaml", text);
    Result<LoadedConfig> loaded = load_config(files, test::request_for(std::nullopt));
    REQUIRE_FALSE(loaded.ok());
    CHECK(loaded.errors().front().location.file == "run-config.yaml");
    CHECK(has_errors(loaded.errors()));
  }
}

}  // namespace run::config
