#include "model/service_fields.h"

#include <charconv>

#include "core/json_text.h"

namespace run::model {

namespace {

std::string json_array(const std::vector<std::string>& items) {
  std::string text = "[";
  for (std::size_t i = 0; i < items.size(); ++i) text += (i ? ", " : "") + json_quote(items[i]);
  return text + "]";
}

std::string env_field(const EnvValue& env, SecretForm secret_form) {
  if (!env.sensitive || secret_form == SecretForm::kValue) return env.value;
  return "(sensitive:" + env.fingerprint + ")";
}

std::string mount_text(const Mount& mount) {
  std::string text =
      (mount.kind == MountKind::kVolume ? "volume " : "bind ") + mount.source + ":" + mount.target;
  return mount.read_only ? text + ":ro" : text;
}

void add_healthcheck(const HealthCheck& check, FieldMap& fields) {
  fields["healthcheck.test"] = json_array(check.test);
  if (check.interval_ms) fields["healthcheck.interval"] = format_duration_ms(check.interval_ms);
  if (check.timeout_ms) fields["healthcheck.timeout"] = format_duration_ms(check.timeout_ms);
  if (check.start_period_ms)
    fields["healthcheck.start_period"] = format_duration_ms(check.start_period_ms);
  if (check.retries) fields["healthcheck.retries"] = std::to_string(check.retries);
}

void add_if_set(FieldMap& fields, const std::string& path, const std::string& value) {
  if (!value.empty()) fields[path] = value;
}

// ---- a minimal reader for what field_map_to_json writes ----------------------------------

/// Reads a JSON string at `i` (which must be '"'); nullopt on anything unexpected.
std::optional<std::string> read_string(std::string_view json, std::size_t& i) {
  if (i >= json.size() || json[i] != '"') return std::nullopt;
  std::string out;
  for (++i; i < json.size(); ++i) {
    char c = json[i];
    if (c == '"') {
      ++i;
      return out;
    }
    if (c != '\\') {
      out += c;
      continue;
    }
    if (++i >= json.size()) return std::nullopt;
    switch (json[i]) {
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        if (i + 4 >= json.size()) return std::nullopt;
        unsigned code = 0;
        auto [end, error] = std::from_chars(json.data() + i + 1, json.data() + i + 5, code, 16);
        if (error != std::errc() || code > 0x7f)
          return std::nullopt;  // we only escape control characters
        out += static_cast<char>(code);
        i += 4;
        break;
      }
      default:
        out += json[i];
    }
  }
  return std::nullopt;
}

void skip_space(std::string_view json, std::size_t& i) {
  while (i < json.size() && (json[i] == ' ' || json[i] == '\n')) ++i;
}

}  // namespace

std::string format_duration_ms(std::int64_t milliseconds) {
  if (milliseconds % 1000 != 0) return std::to_string(milliseconds) + "ms";
  std::int64_t seconds = milliseconds / 1000;
  std::string text;
  if (seconds >= 3600) text += std::to_string(seconds / 3600) + "h";
  if (seconds % 3600 >= 60) text += std::to_string(seconds % 3600 / 60) + "m";
  if (seconds % 60 != 0 || text.empty()) text += std::to_string(seconds % 60) + "s";
  return text;
}

std::string format_memory(std::int64_t bytes) {
  constexpr std::int64_t kKiB = 1024, kMiB = kKiB * 1024, kGiB = kMiB * 1024;
  if (bytes > 0 && bytes % kGiB == 0) return std::to_string(bytes / kGiB) + "G";
  if (bytes > 0 && bytes % kMiB == 0) return std::to_string(bytes / kMiB) + "M";
  if (bytes > 0 && bytes % kKiB == 0) return std::to_string(bytes / kKiB) + "K";
  return std::to_string(bytes);
}

std::string format_cpus(double cpus) {
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, cpus);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(cpus);
}

std::string port_text(const PortBinding& port) {
  std::string host = port.host_port ? std::to_string(port.host_port) : "";
  return (port.host_ip.empty() ? "0.0.0.0" : port.host_ip) + ":" + host + ":" +
         std::to_string(port.container_port) + "/" + port.protocol;
}

FieldMap recreate_fields(const ServiceSpec& spec, SecretForm secret_form) {
  FieldMap fields;
  fields["image"] = spec.image;
  if (spec.command) fields["command"] = json_array(*spec.command);
  if (spec.entrypoint) fields["entrypoint"] = json_array(*spec.entrypoint);
  for (const auto& [name, env] : spec.env) fields["env." + name] = env_field(env, secret_form);
  for (std::size_t i = 0; i < spec.ports.size(); ++i)
    fields["ports[" + std::to_string(i) + "]"] = port_text(spec.ports[i]);
  for (std::size_t i = 0; i < spec.volumes.size(); ++i)
    fields["volumes[" + std::to_string(i) + "]"] = mount_text(spec.volumes[i]);
  for (std::size_t i = 0; i < spec.networks.size(); ++i)
    fields["networks[" + std::to_string(i) + "]"] = spec.networks[i];
  for (const auto& [name, value] : spec.labels) fields["labels." + name] = value;
  if (spec.healthcheck) add_healthcheck(*spec.healthcheck, fields);
  if (spec.init) fields["init"] = "true";
  add_if_set(fields, "user", spec.user);
  add_if_set(fields, "working_dir", spec.working_dir);
  add_if_set(fields, "stop_signal", spec.stop_signal);
  if (spec.stop_grace_period_ms)
    fields["stop_grace_period"] = format_duration_ms(*spec.stop_grace_period_ms);
  return fields;
}

FieldMap in_place_fields(const InPlaceSettings& settings) {
  FieldMap fields;
  if (settings.cpus) fields["resources.cpu"] = format_cpus(*settings.cpus);
  if (settings.memory_bytes) fields["resources.memory"] = format_memory(*settings.memory_bytes);
  if (settings.restart != "no") fields["restart"] = settings.restart;  // "no" is Docker's default
  return fields;
}

std::string canonical_text(const FieldMap& fields) {
  std::string text;
  for (const auto& [path, value] : fields) text += path + "=" + value + "\n";
  return text;
}

std::string field_map_to_json(const FieldMap& fields) {
  std::string json = "{";
  for (const auto& [path, value] : fields)
    json += (json.size() > 1 ? "," : "") + json_quote(path) + ":" + json_quote(value);
  return json + "}";
}

std::optional<FieldMap> field_map_from_json(std::string_view json) {
  FieldMap fields;
  std::size_t i = 0;
  skip_space(json, i);
  if (i >= json.size() || json[i++] != '{') return std::nullopt;
  skip_space(json, i);
  if (i < json.size() && json[i] == '}') return fields;
  while (i < json.size()) {
    skip_space(json, i);
    std::optional<std::string> key = read_string(json, i);
    skip_space(json, i);
    if (!key || i >= json.size() || json[i++] != ':') return std::nullopt;
    skip_space(json, i);
    std::optional<std::string> value = read_string(json, i);
    if (!value) return std::nullopt;
    fields[*key] = *value;
    skip_space(json, i);
    if (i < json.size() && json[i] == ',') {
      ++i;
      continue;
    }
    if (i < json.size() && json[i] == '}') return fields;
    return std::nullopt;
  }
  return std::nullopt;
}

bool is_sensitive_field(const std::string& value) { return value.starts_with("(sensitive:"); }

}  // namespace run::model
