#include "render/status_render.h"

#include <algorithm>

#include "core/json_text.h"
#include "render/plan_json.h"
#include "render/plan_text.h"

namespace run::render {

namespace {

std::string health_text(const plan::ServiceStatus& service) {
  std::string text;
  auto add = [&](int count, const char* word) {
    if (count > 0) text += (text.empty() ? "" : ", ") + std::to_string(count) + " " + word;
  };
  add(service.healthy, "healthy");
  add(service.unhealthy, "unhealthy");
  add(service.starting, "starting");
  return text.empty() ? "-" : text;
}

std::string state_text(const plan::ServiceStatus& service) {
  if (!service.in_config) return "not in config";
  if (service.in_sync()) return "in sync";
  std::string text = "drifted:";
  for (std::size_t i = 0; i < service.pending.size(); ++i)
    text += (i ? ", " : " ") + service.pending[i];
  return text;
}

std::string pad(const std::string& text, std::size_t width) {
  return text + std::string(width > text.size() ? width - text.size() : 0, ' ');
}

/// The image, what runs when it differs, and where a built one came from.
std::string image_text(const plan::ServiceStatus& service) {
  std::string text = service.running_image.empty() ? service.image
                                                   : service.running_image + " -> " + service.image;
  if (!service.source.empty()) text += " (built from " + service.source + ")";
  return text;
}

/// "app-2 is unhealthy; its last health check exited 1: connection refused".
std::string unhealthy_lines(const plan::EnvironmentStatus& status) {
  std::string lines;
  for (const auto& service : status.services)
    for (const plan::UnhealthyReplica& unhealthy : service.unhealthy_replicas)
      lines += service.name + "-" + std::to_string(unhealthy.replica) +
               " is unhealthy; its last health check exited " +
               std::to_string(unhealthy.last_check.exit_code) +
               (unhealthy.last_check.output.empty() ? " with no output"
                                                    : ": " + unhealthy.last_check.output) +
               "\n";
  return lines;
}

std::string unhealthy_json(const plan::ServiceStatus& service) {
  std::string out = "[";
  for (std::size_t i = 0; i < service.unhealthy_replicas.size(); ++i) {
    const plan::UnhealthyReplica& unhealthy = service.unhealthy_replicas[i];
    out += (i ? ", " : "") + std::string("{\"replica\": ") + std::to_string(unhealthy.replica) +
           ", \"last_health_check\": {\"exit_code\": " +
           std::to_string(unhealthy.last_check.exit_code) +
           ", \"output\": " + json_quote(unhealthy.last_check.output) + "}}";
  }
  return out + "]";
}

bool all_in_sync(const plan::EnvironmentStatus& status) {
  return std::all_of(status.services.begin(), status.services.end(),
                     [](const plan::ServiceStatus& s) { return s.in_config && s.in_sync(); });
}

}  // namespace

std::string status_text(const plan::EnvironmentStatus& status, Color color) {
  std::vector<std::vector<std::string>> rows = {
      {"SERVICE", "REPLICAS", "HEALTH", "IMAGE", "STATE"}};
  for (const auto& service : status.services)
    rows.push_back(
        {service.name,
         std::to_string(service.running_replicas) + "/" + std::to_string(service.desired_replicas),
         health_text(service), image_text(service), state_text(service)});
  std::vector<std::size_t> widths(5, 0);
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  std::string out = paint(status.project + "/" + status.environment, Hue::kBold, color) + "\n\n";
  if (status.unfinished)
    out += paint(unfinished_sentence(*status.unfinished, "'run apply' completes it"), Hue::kBold,
                 color) +
           "\n\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (std::size_t i = 0; i + 1 < rows[r].size(); ++i) line += pad(rows[r][i], widths[i] + 2);
    std::string state = rows[r].back();
    if (r > 0) state = paint(state, state == "in sync" ? Hue::kGreen : Hue::kYellow, color);
    out += line + state + "\n";
  }
  if (status.services.empty()) out += "(no services)\n";
  if (std::string unhealthy = unhealthy_lines(status); !unhealthy.empty())
    out += "\n" + paint(unhealthy, Hue::kYellow, color);
  out += all_in_sync(status) ? "\nEverything matches the configuration.\n"
                             : "\nRun 'run plan' for the details, 'run apply' to fix.\n";
  return out;
}

std::string status_json(const plan::EnvironmentStatus& status) {
  std::string out =
      "{\n  \"project\": " + json_quote(status.project) +
      ",\n  \"environment\": " + json_quote(status.environment) +
      ",\n  \"in_sync\": " + (all_in_sync(status) ? "true" : "false") +
      (status.unfinished ? ",\n  \"unfinished\": " + unfinished_json(*status.unfinished)
                         : std::string()) +
      ",\n  \"services\": [";
  for (std::size_t i = 0; i < status.services.size(); ++i) {
    const auto& s = status.services[i];
    out +=
        (i ? ",\n" : "\n") + std::string("    {\"name\": ") + json_quote(s.name) +
        ", \"in_config\": " + (s.in_config ? "true" : "false") +
        ", \"replicas\": {\"desired\": " + std::to_string(s.desired_replicas) +
        ", \"running\": " + std::to_string(s.running_replicas) +
        "}, \"health\": {\"healthy\": " + std::to_string(s.healthy) +
        ", \"unhealthy\": " + std::to_string(s.unhealthy) +
        ", \"starting\": " + std::to_string(s.starting) + "}, \"image\": " + json_quote(s.image) +
        ", \"running_image\": " + json_quote(s.running_image.empty() ? s.image : s.running_image) +
        ", \"source\": " + (s.source.empty() ? std::string("null") : json_quote(s.source)) +
        ", \"unhealthy_replicas\": " + unhealthy_json(s) +
        ", \"in_sync\": " + (s.in_sync() && s.in_config ? "true" : "false") + ", \"pending\": [";
    for (std::size_t p = 0; p < s.pending.size(); ++p)
      out += (p ? ", " : "") + json_quote(s.pending[p]);
    out += "]}";
  }
  out += status.services.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace run::render
