#include <doctest/doctest.h>

#include "plan/promotion.h"

namespace run::plan {

namespace {

model::ServiceSpec service(std::string name, std::string image,
                           std::map<std::string, model::EnvValue> env = {}) {
  model::ServiceSpec spec;
  spec.name = std::move(name);
  spec.image = std::move(image);
  spec.env = std::move(env);
  return spec;
}

model::DesiredState state(std::string environment, std::vector<model::ServiceSpec> services) {
  model::DesiredState desired;
  desired.project = "tsp";
  desired.environment = std::move(environment);
  desired.services = std::move(services);
  return desired;
}

model::EnvValue plain(std::string value) {
  return model::EnvValue{std::move(value), false, "", ""};
}
model::EnvValue secret(std::string reference) {
  return model::EnvValue{"", true, "0123456789abcdef", std::move(reference)};
}

const std::vector<PromoteField> kImageOnly = {PromoteField{}};

std::vector<std::string> lines_of(const Promotion& promotion) {
  std::vector<std::string> lines;
  for (const PromotionEdit& edit : promotion.edits) lines.push_back(edit_line(edit));
  return lines;
}

}  // namespace

TEST_CASE("promotion: each differing image of a service both have is an edit, by service") {
  model::DesiredState staging =
      state("staging", {service("app", "tsp/app:1.4.3"), service("db", "tsp/db:16"),
                        service("worker", "tsp/worker:1.4.3")});
  model::DesiredState production =
      state("production", {service("app", "tsp/app:1.4.2"), service("db", "tsp/db:16"),
                           service("worker", "tsp/worker:1.4.2")});
  Promotion promotion = plan_promotion(staging, production, kImageOnly);
  CHECK(lines_of(promotion) ==
        std::vector<std::string>{"app tsp/app:1.4.2 -> tsp/app:1.4.3",
                                 "worker tsp/worker:1.4.2 -> tsp/worker:1.4.3"});
  CHECK(promotion.edits[0].overlay_path == std::vector<std::string>{"services", "app", "image"});
  CHECK(promotion.edits[0].current == "tsp/app:1.4.2");
  CHECK(promotion.edits[0].overlay_text == "tsp/app:1.4.3");
  CHECK(promotion.notes.empty());
}

TEST_CASE("promotion: the same values promote nothing") {
  model::DesiredState staging = state("staging", {service("app", "tsp/app:1.4.3")});
  model::DesiredState production = state("production", {service("app", "tsp/app:1.4.3")});
  Promotion promotion = plan_promotion(staging, production, kImageOnly);
  CHECK(promotion.edits.empty());
  CHECK(promotion.notes.empty());
  CHECK(plan_promotion(staging, production, {}).edits.empty());
}

TEST_CASE(
    "promotion: a service only the source has is left out with a note; one only the target has is "
    "untouched") {
  model::DesiredState staging = state("staging", {service("app", "a:2"), service("canary", "c:1")});
  model::DesiredState production =
      state("production", {service("app", "a:1"), service("legacy", "l:1")});
  Promotion promotion = plan_promotion(staging, production, kImageOnly);
  CHECK(lines_of(promotion) == std::vector<std::string>{"app a:1 -> a:2"});
  CHECK(promotion.notes ==
        std::vector<std::string>{"service 'canary' is only in staging: not promoted"});
}

TEST_CASE("promotion: environment variables are promoted when listed; a secret never is") {
  std::vector<PromoteField> fields = {PromoteField{},
                                      *parse_promote_field("env.LOG_LEVEL"),
                                      *parse_promote_field("env.API_KEY"),
                                      *parse_promote_field("env.DB_PASSWORD"),
                                      *parse_promote_field("env.FEATURE"),
                                      *parse_promote_field("env.OLD"),
                                      *parse_promote_field("env.PRICE")};
  model::DesiredState staging = state("staging", {service("app", "a:1",
                                                          {{"LOG_LEVEL", plain("debug")},
                                                           {"API_KEY", secret("${secret:API_KEY}")},
                                                           {"DB_PASSWORD", plain("staging-only")},
                                                           {"FEATURE", plain("on")},
                                                           {"PRICE", plain("$5")}})});
  model::DesiredState production =
      state("production", {service("app", "a:1",
                                   {{"LOG_LEVEL", plain("warn")},
                                    {"API_KEY", secret("${secret:API_KEY}")},
                                    {"DB_PASSWORD", secret("${secret:DB_PASSWORD}")},
                                    {"OLD", plain("x")}})});
  Promotion promotion = plan_promotion(staging, production, fields);
  CHECK(lines_of(promotion) == std::vector<std::string>{"app env.LOG_LEVEL warn -> debug",
                                                        "app env.FEATURE (unset) -> on",
                                                        "app env.PRICE (unset) -> $5"});
  CHECK(promotion.edits[1].overlay_path ==
        std::vector<std::string>{"services", "app", "env", "FEATURE"});
  CHECK(promotion.edits[2].overlay_text == "$$5");
  CHECK(promotion.notes ==
        std::vector<std::string>{
            "services.app.env.API_KEY is a secret in staging: secrets are never promoted",
            "services.app.env.DB_PASSWORD is a secret in production: left as it is",
            "services.app.env.OLD is not set in staging: left as it is in production"});
}

TEST_CASE("promotion: a built service's image is not promoted: it follows its files") {
  model::ServiceSpec built = service("app", "tsp/app:3f2a1bc04d1e");
  built.build = model::BuildSpec{};
  model::DesiredState staging = state("staging", {built, service("db", "tsp/db:17")});
  built.image = "tsp/app:0a1b2c3d4e5f";
  model::DesiredState production = state("production", {built, service("db", "tsp/db:16")});
  Promotion promotion = plan_promotion(staging, production, kImageOnly);
  CHECK(lines_of(promotion) == std::vector<std::string>{"db tsp/db:16 -> tsp/db:17"});
  CHECK(promotion.notes ==
        std::vector<std::string>{"service 'app' is built from source: its image follows its files, "
                                 "not promoted"});
}

}  // namespace run::plan
