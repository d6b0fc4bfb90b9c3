#include "model/secret_redaction.h"

#include <string_view>

namespace run::model {

namespace {

constexpr std::size_t kMinimumSecretLength = 4;
constexpr std::string_view kRedacted = "(sensitive)";

}  // namespace

std::string redact_secrets(std::string text, const ServiceSpec& spec) {
  for (const auto& [name, env] : spec.env) {
    if (!env.sensitive || env.value.size() < kMinimumSecretLength) continue;
    for (std::size_t at = text.find(env.value); at != std::string::npos;
         at = text.find(env.value, at + kRedacted.size()))
      text.replace(at, env.value.size(), kRedacted);
  }
  return text;
}

}  // namespace run::model
