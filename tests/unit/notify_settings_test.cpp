#include <doctest/doctest.h>

#include "config/desired_state_builder.h"
#include "config/notify_settings.h"
#include "model/fingerprint.h"
#include "test_support.h"

// The top-level `notify:` section: what `run reconcile` reads from it, how an overlay changes
// it, each error as `run validate` prints it, and that it stays out of the desired state.

namespace run::config {

namespace {

constexpr std::string_view kTwoEnvironments =
    "version: \"2\"\n"
    "project: demo\n"
    "services:\n"
    "  app:\n"
    "    image: app:1\n"
    "environments:\n"
    "  dev: {}\n"
    "  production: {}\n";

MemorySource files_with(std::string_view base, std::string_view production_overlay = {}) {
  MemorySource files = test::files_with(base);
  if (!production_overlay.empty())
    files.add("environments/production.yaml", std::string(production_overlay));
  return files;
}

std::string minimal_with(std::string_view tail) {
  return std::string(test::kMinimalConfig) + std::string(tail);
}

LoadedConfig load(const MemorySource& files, const std::string& environment,
                  VariableMap process_environment = {}) {
  LoadRequest request = test::request_for(environment);
  request.process_environment = std::move(process_environment);
  return test::load_ok(files, request);
}

std::optional<std::string> webhook_of(const MemorySource& files, const std::string& environment,
                                      VariableMap process_environment = {}) {
  return notify_settings(load(files, environment, std::move(process_environment))).webhook_url;
}

}  // namespace

TEST_CASE("notify settings: without a notify section, or with an empty one, there is no webhook") {
  CHECK(webhook_of(test::files_with(test::kMinimalConfig), "dev") == std::nullopt);
  CHECK(webhook_of(test::files_with(minimal_with("notify:\n")), "dev") == std::nullopt);
  CHECK(webhook_of(test::files_with(minimal_with("notify: {}\n")), "dev") == std::nullopt);
  CHECK(webhook_of(test::files_with(minimal_with("notify: { webhook: \"${HOOK_URL:-}\" }\n")),
                   "dev") == std::nullopt);
}

TEST_CASE(
    "notify settings: a webhook in run-config.yaml is read, with variables and secrets "
    "interpolated") {
  CHECK(webhook_of(test::files_with(
                       minimal_with("notify:\n  webhook: https://hooks.example.com/run?x=1\n")),
                   "dev") == "https://hooks.example.com/run?x=1");
  CHECK(webhook_of(test::files_with(
                       minimal_with("notify: { webhook: \"http://${HOOK_HOST}:8080/run\" }\n")),
                   "dev", {{"HOOK_HOST", "127.0.0.1"}}) == "http://127.0.0.1:8080/run");
  MemorySource secret = test::files_with(minimal_with("notify: { webhook: \"${secret:HOOK}\" }\n"));
  LoadedConfig loaded =
      load(secret, "dev", {{"RUN_SECRET_HOOK", "https://hooks.example.com/T0K3N"}});
  CHECK(notify_settings(loaded).webhook_url == "https://hooks.example.com/T0K3N");
  CHECK(loaded.merged.find("notify")->find("webhook")->sensitive);  // render shows "(sensitive)"
}

TEST_CASE("notify settings: an environment's overlay sets, overrides or removes the webhook") {
  std::string base =
      std::string(kTwoEnvironments) + "notify: { webhook: \"https://hooks.example.com/all\" }\n";
  MemorySource overridden =
      files_with(base, "notify: { webhook: \"https://hooks.example.com/prod\" }\n");
  CHECK(webhook_of(overridden, "dev") == "https://hooks.example.com/all");
  CHECK(webhook_of(overridden, "production") == "https://hooks.example.com/prod");
  CHECK(webhook_of(files_with(base, "notify: { webhook: null }\n"), "production") == std::nullopt);
  MemorySource only_production =
      files_with(std::string(kTwoEnvironments), "notify:\n  webhook: http://127.0.0.1:9000/hook\n");
  CHECK(webhook_of(only_production, "dev") == std::nullopt);
  CHECK(webhook_of(only_production, "production") == "http://127.0.0.1:9000/hook");
}

TEST_CASE("notify settings: a webhook that is not an http or https URL is an error at its line") {
  CHECK(test::validate_text(
            test::files_with(minimal_with("notify:\n  webhook: ftp://hooks.example.com/run\n"))) ==
        "run-config.yaml:9:12: error: expected an http:// or https:// URL with a host, got "
        "'ftp://hooks.example.com/run' (at notify.webhook)\n");
  CHECK(test::validate_text(
            test::files_with(minimal_with("notify: { webhook: \"https:///no-host\" }\n"))) ==
        "run-config.yaml:8:20: error: expected an http:// or https:// URL with a host, got "
        "'https:///no-host' (at notify.webhook)\n");
  // In an overlay, the error names the overlay.
  MemorySource overlay =
      files_with(std::string(kTwoEnvironments), "notify:\n  webhook: hooks.example.com\n");
  CHECK(test::validate_text(overlay, "production") ==
        "environments/production.yaml:2:12: error: expected an http:// or https:// URL with a "
        "host, got "
        "'hooks.example.com' (at notify.webhook)\n");
}

TEST_CASE("notify settings: a webhook given as a secret is never shown in an error") {
  MemorySource files = test::files_with(minimal_with("notify: { webhook: \"${secret:HOOK}\" }\n"));
  config::LoadRequest request = test::request_for("dev");
  request.process_environment = {{"RUN_SECRET_HOOK", "smtp://T0K3N"}};
  std::string text = test::formatted(config::validate_config(files, request));
  CHECK(text.find("T0K3N") == std::string::npos);
  CHECK(text.find("got (sensitive) (at notify.webhook)") != std::string::npos);
}

TEST_CASE(
    "notify settings: an unknown key under notify, or a webhook that is not a string, is an "
    "error") {
  CHECK(test::validate_text(
            test::files_with(minimal_with("notify:\n  webhok: https://hooks.example.com\n"))) ==
        "run-config.yaml:9:3: error: unknown key 'webhok' (at notify.webhok)\n"
        "  hint: did you mean 'webhook'?\n");
  CHECK(test::validate_text(test::files_with(minimal_with("notify:\n  webhook: 8080\n"))) ==
        "run-config.yaml:9:12: error: expected a string, got integer '8080' (at notify.webhook)\n"
        "  hint: YAML reads 8080 as a number; quote it (\"8080\") to keep it as written\n");
  CHECK(test::validate_text(test::files_with(minimal_with("notify: https://hooks.example.com\n")))
            .find("run-config.yaml:8:9: error: expected a mapping or null, got string") == 0);
}

TEST_CASE("notify settings: a very long webhook is refused quickly, without a deep regex") {
  std::string long_url = "https://" + std::string(1 << 20, 'a');
  std::string text = test::validate_text(
      test::files_with(minimal_with("notify: { webhook: \"" + long_url + "\" }\n")));
  CHECK(text.find("(at notify.webhook)") != std::string::npos);
}

TEST_CASE(
    "notify settings: the webhook is not part of the desired state, so changing it changes no "
    "plan") {
  std::string without = std::string(kTwoEnvironments);
  std::string with_hook = without + "notify: { webhook: \"https://hooks.example.com/a\" }\n";
  std::string other_hook = without + "notify: { webhook: \"https://hooks.example.com/b\" }\n";
  auto fingerprint = [](const std::string& config) {
    return model::desired_fingerprint_text(
        build_desired_state(load(test::files_with(config), "dev")));
  };
  CHECK(fingerprint(with_hook) == fingerprint(without));
  CHECK(fingerprint(other_hook) == fingerprint(without));
  model::DesiredState state = build_desired_state(load(test::files_with(with_hook), "dev"));
  REQUIRE(state.services.size() == 1);
  model::DesiredState plain = build_desired_state(load(test::files_with(without), "dev"));
  CHECK(state.services.front().config_hash == plain.services.front().config_hash);
}

}  // namespace run::config
