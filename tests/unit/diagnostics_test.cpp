#include <doctest/doctest.h>

#include "config/config_loader.h"
#include "render/diagnostics_render.h"
#include "test_support.h"

// Golden text of every diagnostic a user can meet while loading, as `run validate` prints it.

namespace run::config {

namespace {

/// run-config.yaml with the service `app` and `service_lines` added to it from line 6 on.
std::string config_with_app(const std::string& service_lines) {
  return "version: \"2\"\n"
         "project: demo\n"
         "services:\n"
         "  app:\n"
         "    image: app:1\n" +
         service_lines +
         "environments:\n"
         "  dev: {}\n"
         "  staging: {}\n"
         "  production: {}\n";
}

std::string validate_app(const std::string& service_lines) {
  return test::validate_text(test::files_with(config_with_app(service_lines)));
}

}  // namespace

TEST_CASE("diagnostics: format is FILE:LINE:COL: error: MESSAGE (at PATH) and a hint line") {
  Diagnostic diagnostic =
      make_error(SourceLocation{"a.yaml", 3, 7}, "services.app", "something is wrong", "fix it");
  CHECK(format_diagnostic(diagnostic) ==
        "a.yaml:3:7: error: something is wrong (at services.app)\n  hint: fix it");
  diagnostic.severity = Severity::kWarning;
  diagnostic.path.clear();
  diagnostic.hint.clear();
  CHECK(format_diagnostic(diagnostic) == "a.yaml:3:7: warning: something is wrong");
  CHECK(format_diagnostic(make_error(SourceLocation{}, "", "no place")) == "error: no place");
  CHECK(format_diagnostic(make_error(SourceLocation{"f.yaml", 0, 0}, "", "whole file")) ==
        "f.yaml: error: whole file");
}

TEST_CASE("diagnostics: the one-line form keeps place, path and hint, and drops an unknown line") {
  CHECK(diagnostic_line(make_error(SourceLocation{"a.yaml", 3, 7}, "services.app",
                                   "something is wrong", "fix it")) ==
        "a.yaml:3:7: something is wrong (at services.app); hint: fix it");
  CHECK(diagnostic_line(make_error(SourceLocation{"run-config.yaml", 0, 0}, "",
                                   "cannot be read")) == "run-config.yaml: cannot be read");
  CHECK(diagnostic_line(make_error(SourceLocation{}, "", "no place")) == "no place");
}

TEST_CASE("diagnostics: a valid configuration has none") { CHECK(validate_app("") == ""); }

TEST_CASE("diagnostics: an unknown key suggests the closest known one") {
  CHECK(validate_app("    replcas: 2\n") ==
        "run-config.yaml:6:5: error: unknown key 'replcas' (at services.app.replcas)\n"
        "  hint: did you mean 'replicas'?\n");
}

TEST_CASE("diagnostics: an unknown top-level key lists the known ones when none is close") {
  MemorySource files = test::files_with(std::string(test::kMinimalConfig) + "zzz: 1\n");
  CHECK(test::validate_text(files) ==
        "run-config.yaml:8:1: error: unknown key 'zzz' (at zzz)\n"
        "  hint: expected one of 'version', 'project', 'default_environment', 'services', "
        "'networks', "
        "'volumes', 'tasks', 'environments', 'promote' or 'notify'\n");
}

TEST_CASE("diagnostics: an x- key is an extension, not an unknown key") {
  MemorySource files = test::files_with(std::string(test::kMinimalConfig) + "x-anything: {a: 1}\n");
  CHECK(test::validate_text(files) == "");
}

TEST_CASE("diagnostics: a wrong type names what was expected and what was found") {
  CHECK(validate_app("    replicas: many\n") ==
        "run-config.yaml:6:15: error: expected an integer, got string 'many' (at "
        "services.app.replicas)\n");
}

TEST_CASE("diagnostics: restart: no is a boolean where a string is meant, with the quote hint") {
  CHECK(
      validate_app("    restart: no\n") ==
      "run-config.yaml:6:14: error: expected a string, got boolean 'no' (at services.app.restart)\n"
      "  hint: YAML reads no as a boolean; quote it (\"no\") if you mean the text\n");
}

TEST_CASE("diagnostics: restart: \"no\" quoted is valid") {
  CHECK(validate_app("    restart: \"no\"\n") == "");
}

TEST_CASE("diagnostics: version: 2 is a number where a string is meant, with the quote hint") {
  MemorySource files =
      test::files_with("version: 2\nproject: demo\nservices: {}\nenvironments:\n  dev: {}\n");
  CHECK(test::validate_text(files) ==
        "run-config.yaml:1:10: error: expected a string, got integer '2' (at version)\n"
        "  hint: YAML reads 2 as a number; quote it (\"2\") to keep it as written\n");
}

TEST_CASE("diagnostics: a float where a string is meant keeps its text in the hint") {
  CHECK(validate_app("    user: 1.10\n") ==
        "run-config.yaml:6:11: error: expected a string, got number '1.10' (at services.app.user)\n"
        "  hint: YAML reads 1.10 as a number; quote it (\"1.10\") to keep it as written\n");
}

TEST_CASE("diagnostics: a value outside an enum lists the allowed ones and suggests") {
  CHECK(validate_app("    restart: alway\n") ==
        "run-config.yaml:6:14: error: expected 'no', 'always', 'on-failure' or 'unless-stopped', "
        "got 'alway' "
        "(at services.app.restart)\n"
        "  hint: did you mean 'always'?\n");
}

TEST_CASE("diagnostics: a depends_on condition outside the enum is reported at the value") {
  CHECK(validate_app("    depends_on: {app2: ready}\n") ==
        "run-config.yaml:6:24: error: expected 'started', 'healthy' or 'completed_successfully', "
        "got 'ready' "
        "(at services.app.depends_on.app2)\n");
}

TEST_CASE("diagnostics: a missing required key names the key and the mapping") {
  MemorySource files = test::files_with("version: \"2\"\nservices: {}\nenvironments:\n  dev: {}\n");
  CHECK(test::validate_text(files) ==
        "run-config.yaml:1:1: error: missing required key 'project' in the file\n");
}

TEST_CASE("diagnostics: a service with neither an image nor a build is reported at the service") {
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: demo\nservices:\n  app:\n    replicas: 1\nenvironments:\n  dev: "
      "{}\n");
  CHECK(test::validate_text(files) ==
        "run-config.yaml:4:3: error: service 'app' has neither 'image' nor 'build' (at "
        "services.app)\n  hint: name an image (image: postgres:16) or a directory to build it "
        "from (build: { context: ./app })\n");
}

TEST_CASE("diagnostics: a build context outside the project, and a secret in a build arg") {
  MemorySource files = test::files_with(
      "version: \"2\"\nproject: demo\nservices:\n  app:\n    build:\n      context: ../elsewhere\n"
      "      args: { TOKEN: \"${secret:TOKEN}\" }\nenvironments:\n  dev: {}\n");
  config::LoadRequest request = test::request_for(std::nullopt);
  request.process_environment["RUN_SECRET_TOKEN"] = "s3cret";
  std::string text = test::formatted(config::validate_config(files, request));
  CHECK(text.find("s3cret") == std::string::npos);
  CHECK(text.find("run-config.yaml:6:16: error: build context '../elsewhere' is outside the "
                  "project (at services.app.build.context)") != std::string::npos);
  CHECK(text.find("error: build arg 'TOKEN' holds a secret (at services.app.build.args.TOKEN)") !=
        std::string::npos);
  CHECK(text.find("docker history") != std::string::npos);
}

TEST_CASE("diagnostics: a number below the minimum is reported at the value") {
  std::string text = validate_app("    replicas: -1\n");
  CHECK(text.starts_with("run-config.yaml:6:15: error: "));
  CHECK(text.find("(at services.app.replicas)") != std::string::npos);
}

TEST_CASE("diagnostics: an unknown --env suggests the declared one") {
  MemorySource files = test::files_with(config_with_app(""));
  Result<LoadedConfig> loaded = load_config(files, test::request_for("prodution"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(test::formatted(loaded.errors()) ==
        "run-config.yaml: error: unknown environment 'prodution' (at environments)\n"
        "  hint: did you mean 'production'?\n");
}

TEST_CASE("diagnostics: an unknown --env with no close name lists the declared ones") {
  MemorySource files = test::files_with(config_with_app(""));
  CHECK(test::validate_text(files, "qa") ==
        "run-config.yaml: error: unknown environment 'qa' (at environments)\n"
        "  hint: declared: dev, staging, production\n");
}

TEST_CASE("diagnostics: an overlay file for an undeclared environment") {
  MemorySource files = test::files_with(config_with_app(""));
  files.add("environments/stagin.yaml", "services: {}\n");
  files.add("environments/qa.yaml", "services: {}\n");
  CHECK(test::validate_text(files) ==
        "environments/qa.yaml: error: overlay for environment 'qa', which is not declared\n"
        "  hint: declare 'qa' under 'environments:' or remove the file\n"
        "environments/stagin.yaml: error: overlay for environment 'stagin', which is not declared\n"
        "  hint: did you mean 'staging'?\n");
}

TEST_CASE("diagnostics: an overlay named .yml is refused with the name to use") {
  MemorySource files = test::files_with(config_with_app(""));
  files.add("environments/dev.yml", "services: {}\n");
  CHECK(test::validate_text(files, "dev") ==
        "environments/dev.yml: error: overlays are named <env>.yaml, not .yml\n"
        "  hint: rename it to dev.yaml\n");
}

TEST_CASE("diagnostics: an error in a value set by an overlay names the overlay file and line") {
  MemorySource files = test::files_with(config_with_app("    replicas: 2\n"));
  files.add("environments/production.yaml",
            "# production\nservices:\n  app:\n    replicas: many\n");
  CHECK(test::validate_text(files) ==
        "environments/production.yaml:4:15: error: expected an integer, got string 'many' "
        "(at services.app.replicas)\n");
}

TEST_CASE("diagnostics: an unknown key in an overlay names the overlay") {
  MemorySource files = test::files_with(config_with_app(""));
  files.add("environments/staging.yaml", "services:\n  app:\n    imagee: x\n");
  CHECK(test::validate_text(files) ==
        "environments/staging.yaml:3:5: error: unknown key 'imagee' (at services.app.imagee)\n"
        "  hint: did you mean 'image'?\n");
}

TEST_CASE("diagnostics: validate reports every error of the phase, not just the first") {
  std::string text = validate_app("    replcas: 2\n    imagee: x\n    restrat: always\n");
  CHECK(text ==
        "run-config.yaml:6:5: error: unknown key 'replcas' (at services.app.replcas)\n"
        "  hint: did you mean 'replicas'?\n"
        "run-config.yaml:7:5: error: unknown key 'imagee' (at services.app.imagee)\n"
        "  hint: did you mean 'image'?\n"
        "run-config.yaml:8:5: error: unknown key 'restrat' (at services.app.restrat)\n"
        "  hint: did you mean 'restart'?\n");
}

TEST_CASE("diagnostics: load_config returns each unknown key once") {
  MemorySource files =
      test::files_with(config_with_app("    replcas: 2\n    imagee: x\n    restrat: always\n"));
  Result<LoadedConfig> loaded = load_config(files, test::request_for("dev"));
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.errors().size() == 3);
}

TEST_CASE("diagnostics: errors of different kinds in one phase are all reported") {
  std::string text =
      validate_app("    replicas: many\n    restart: no\n    init: 1\n    ports: 8080\n");
  CHECK(
      text ==
      "run-config.yaml:6:15: error: expected an integer, got string 'many' (at "
      "services.app.replicas)\n"
      "run-config.yaml:7:14: error: expected a string, got boolean 'no' (at services.app.restart)\n"
      "  hint: YAML reads no as a boolean; quote it (\"no\") if you mean the text\n"
      "run-config.yaml:8:11: error: expected a boolean, got integer '1' (at services.app.init)\n"
      "run-config.yaml:9:12: error: expected a list, got integer '8080' (at services.app.ports)\n");
}

TEST_CASE("diagnostics: an error of the shared base is reported once across environments") {
  MemorySource files = test::files_with(config_with_app("    replcas: 2\n"));
  files.add("environments/production.yaml", "services:\n  app:\n    replicas: 3\n");
  CHECK(test::validate_text(files) ==
        "run-config.yaml:6:5: error: unknown key 'replcas' (at services.app.replcas)\n"
        "  hint: did you mean 'replicas'?\n");
}

TEST_CASE("diagnostics: validating one environment skips the errors only another environment has") {
  MemorySource files = test::files_with(config_with_app(""));
  files.add("environments/production.yaml", "services:\n  app:\n    replicas: many\n");
  CHECK(test::validate_text(files, "dev") == "");
  CHECK(test::validate_text(files, "production") ==
        "environments/production.yaml:3:15: error: expected an integer, got string 'many' (at "
        "services.app.replicas)\n");
}

TEST_CASE("diagnostics: an interpolation error points at the scalar") {
  CHECK(validate_app("    user: ${RUN_TEST_SURELY_UNSET}\n") ==
        "run-config.yaml:6:11: error: variable RUN_TEST_SURELY_UNSET is not set\n"
        "  hint: export it, add it to .env, or give a default: ${RUN_TEST_SURELY_UNSET:-value}\n");
}

TEST_CASE("diagnostics: a secret's value never appears in an error") {
  MemorySource files = test::files_with(
      config_with_app("    replicas: ${secret:COUNT}\n    restart: ${secret:COUNT}\n"));
  LoadRequest request = test::request_for("dev");
  request.process_environment = {{"RUN_SECRET_COUNT", "s3cr3t-value"}};
  std::string text = test::formatted(validate_config(files, request));
  CHECK(text ==
        "run-config.yaml:6:15: error: expected an integer, got string (sensitive) (at "
        "services.app.replicas)\n"
        "run-config.yaml:7:14: error: expected 'no', 'always', 'on-failure' or 'unless-stopped', "
        "got (sensitive) "
        "(at services.app.restart)\n");
  CHECK(text.find("s3cr3t") == std::string::npos);
}

TEST_CASE("diagnostics: JSON output carries every field, for CI annotations") {
  Diagnostics diagnostics = {make_error(SourceLocation{"run-config.yaml", 6, 5},
                                        "services.app.replcas", "unknown key 'replcas'",
                                        "did you mean 'replicas'?")};
  CHECK(render::diagnostics_json(diagnostics) ==
        "{\n"
        "  \"valid\": false,\n"
        "  \"errors\": 1,\n"
        "  \"warnings\": 0,\n"
        "  \"diagnostics\": [\n"
        "    {\"severity\": \"error\", \"file\": \"run-config.yaml\", \"line\": 6, \"column\": 5, "
        "\"path\": \"services.app.replcas\", \"message\": \"unknown key 'replcas'\", "
        "\"hint\": \"did you mean 'replicas'?\"}\n"
        "  ]\n"
        "}\n");
  CHECK(render::diagnostics_json({}) ==
        "{\n  \"valid\": true,\n  \"errors\": 0,\n  \"warnings\": 0,\n  \"diagnostics\": []\n}\n");
}

TEST_CASE("diagnostics: sorted_unique orders by file and line and drops exact duplicates") {
  Diagnostic late = make_error(SourceLocation{"b.yaml", 1, 1}, "", "late");
  Diagnostic second = make_error(SourceLocation{"a.yaml", 9, 1}, "", "second");
  Diagnostic first = make_error(SourceLocation{"a.yaml", 2, 3}, "", "first");
  Diagnostics sorted = sorted_unique({late, second, first, second, late});
  REQUIRE(sorted.size() == 3);
  CHECK(sorted[0].message == "first");
  CHECK(sorted[1].message == "second");
  CHECK(sorted[2].message == "late");
}

}  // namespace run::config
