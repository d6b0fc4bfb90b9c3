#include "render/plan_json.h"

#include "core/json_text.h"
#include "plan/drift.h"

namespace run::render {

namespace {

std::string nullable(const std::string& text) { return text.empty() ? "null" : json_quote(text); }
std::string nullable(const std::optional<std::string>& text) {
  return text ? json_quote(*text) : "null";
}

std::string change_json(const plan::FieldChange& change) {
  return "{\"path\": " + json_quote(change.path) + ", \"before\": " + nullable(change.before) +
         ", \"after\": " + nullable(change.after) +
         ", \"sensitive\": " + (change.sensitive ? "true" : "false") + "}";
}

std::string action_json(const plan::Action& action) {
  std::string out = "    {\"action\": " + json_quote(plan::to_string(action.kind));
  out += ", \"kind\": " + json_quote(plan::to_string(action.resource));
  out += ", \"service\": " + nullable(action.service);
  out += ", \"replica\": " +
         (action.replica > 0 ? std::to_string(action.replica) : std::string("null"));
  out += ", \"name\": " + json_quote(action.name);
  out += ", \"reason\": " + json_quote(action.reason);
  if (action.drift) out += ", \"drift\": " + json_quote(plan::to_string(*action.drift));
  if (!action.config_hash.empty()) out += ", \"config_hash\": " + json_quote(action.config_hash);
  if (action.service_version)
    out += ", \"service_version\": " + std::to_string(action.service_version);
  out += ",\n     \"changes\": [";
  for (std::size_t i = 0; i < action.changes.size(); ++i)
    out += (i ? ",\n       " : "\n       ") + change_json(action.changes[i]);
  out += action.changes.empty() ? "]" : "\n     ]";
  out += ", \"forces_replace\": [";
  for (std::size_t i = 0; i < action.replace_fields.size(); ++i)
    out += (i ? ", " : "") + json_quote(action.replace_fields[i]);
  return out + "]}";
}

std::string hook_json(const plan::PlannedHook& hook) {
  return "{\"task\": " + json_quote(hook.task) +
         ", \"when\": " + json_quote(model::to_string(hook.when)) +
         ", \"runs\": " + (hook.runs() ? "true" : "false") +
         ", \"reason\": " + json_quote(hook.reason) + "}";
}

}  // namespace

std::string unfinished_json(const plan::UnfinishedDeployment& last) {
  return "{\"record\": " + std::to_string(last.record) + ", \"kind\": " + json_quote(last.kind) +
         ", \"completed\": " + std::to_string(last.completed) +
         ", \"total\": " + std::to_string(last.total) +
         ", \"running\": " + (last.running ? "true" : "false") + "}";
}

std::string plan_json(const plan::Plan& plan) {
  plan::Summary s = plan.summary();
  std::string out = "{\n  \"format_version\": " + json_quote(kPlanFormatVersion) + ",\n";
  out += "  \"project\": " + json_quote(plan.project) + ",\n";
  out += "  \"environment\": " + json_quote(plan.environment) + ",\n";
  out += "  \"has_changes\": " + std::string(plan.has_changes() ? "true" : "false") + ",\n";
  if (plan.unfinished) out += "  \"unfinished\": " + unfinished_json(*plan.unfinished) + ",\n";
  if (plan.drift_record)
    out += "  \"compared_with_record\": " + std::to_string(*plan.drift_record) + ",\n";
  out += "  \"summary\": {\"create\": " + std::to_string(s.create) +
         ", \"update\": " + std::to_string(s.update) +
         ", \"replace\": " + std::to_string(s.replace) + ", \"start\": " + std::to_string(s.start) +
         ", \"remove\": " + std::to_string(s.remove) + ", \"build\": " + std::to_string(s.build) +
         "},\n";
  out += "  \"actions\": [";
  for (std::size_t i = 0; i < plan.actions.size(); ++i)
    out += (i ? ",\n" : "\n") + action_json(plan.actions[i]);
  out += plan.actions.empty() ? "],\n" : "\n  ],\n";
  out += "  \"images_to_pull\": [";
  for (std::size_t i = 0; i < plan.images_to_pull.size(); ++i)
    out += (i ? ", " : "") + json_quote(plan.images_to_pull[i]);
  out += "],\n";
  out += "  \"kept_volumes\": [";
  for (std::size_t i = 0; i < plan.kept_volumes.size(); ++i)
    out += (i ? ", " : "") + json_quote(plan.kept_volumes[i]);
  out += "],\n";
  out += "  \"hooks\": [";
  for (std::size_t i = 0; i < plan.hooks.size(); ++i)
    out += (i ? ",\n    " : "\n    ") + hook_json(plan.hooks[i]);
  out += plan.hooks.empty() ? "],\n" : "\n  ],\n";
  out += "  \"errors\": [";
  for (std::size_t i = 0; i < plan.errors.size(); ++i)
    out += (i ? ", " : "") + std::string("{\"message\": ") + json_quote(plan.errors[i].message) +
           ", \"hint\": " + json_quote(plan.errors[i].hint) + "}";
  return out + "]\n}\n";
}

}  // namespace run::render
