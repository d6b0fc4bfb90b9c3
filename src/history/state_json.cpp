#include "history/state_json.h"

#include <algorithm>
#include <array>
#include <limits>
#include <set>
#include <utility>

#include "config/desired_state_builder.h"
#include "config/digest.h"
#include "core/utf8.h"
#include "history/json_reader.h"
#include "history/json_writer.h"
#include "history/swarm_settings_json.h"

namespace run::history {

namespace {

constexpr std::int64_t kIntMax = std::numeric_limits<int>::max();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kPortMax = 65535;

// Every enumerator, for reading: each is written with its name function, so a value is
// read by finding the enumerator whose name it is, and writing and reading agree.
constexpr std::array<model::MountKind, 2> kMountKinds{model::MountKind::kVolume,
                                                      model::MountKind::kBind};
constexpr std::array<model::DependencyCondition, 3> kConditions{
    model::DependencyCondition::kStarted, model::DependencyCondition::kHealthy,
    model::DependencyCondition::kCompletedSuccessfully};
constexpr std::array<model::UpdateOrder, 2> kUpdateOrders{model::UpdateOrder::kStopFirst,
                                                          model::UpdateOrder::kStartFirst};

std::string_view mount_type_name(model::MountKind kind) {
  return kind == model::MountKind::kBind ? "bind" : "volume";
}

// ---- writing ------------------------------------------------------------------------------

void write_env_value(JsonWriter& json, const std::string& name, const model::EnvValue& env) {
  if (!env.sensitive) return json.string_member(name, env.value);
  // The reference and the keyed fingerprint: never the value.
  json.key(name);
  json.begin_object();
  json.string_member("secret", env.reference);
  json.string_member("fingerprint", env.fingerprint);
  json.end_object();
}

void write_optional_strings(JsonWriter& json, std::string_view name,
                            const std::optional<std::vector<std::string>>& items) {
  if (items) return json.strings_member(name, *items);
  json.key(name);
  json.null();
}

void write_optional_integer(JsonWriter& json, std::string_view name,
                            const std::optional<std::int64_t>& value) {
  json.key(name);
  value ? json.integer(*value) : json.null();
}

void write_port(JsonWriter& json, const model::PortBinding& port) {
  json.begin_object();
  json.string_member("host_ip", port.host_ip);
  json.integer_member("host_port", port.host_port);
  json.integer_member("container_port", port.container_port);
  json.string_member("protocol", port.protocol);
  json.end_object();
}

void write_mount(JsonWriter& json, const model::Mount& mount) {
  json.begin_object();
  json.string_member("type", mount_type_name(mount.kind));
  json.string_member("source", mount.source);
  json.string_member("target", mount.target);
  json.boolean_member("read_only", mount.read_only);
  json.end_object();
}

void write_healthcheck(JsonWriter& json, const std::optional<model::HealthCheck>& check) {
  json.key("healthcheck");
  if (!check) return json.null();
  json.begin_object();
  json.strings_member("test", check->test);
  json.integer_member("interval_ms", check->interval_ms);
  json.integer_member("timeout_ms", check->timeout_ms);
  json.integer_member("start_period_ms", check->start_period_ms);
  json.integer_member("retries", check->retries);
  json.end_object();
}

void write_resources(JsonWriter& json, const model::InPlaceSettings& settings) {
  json.key("resources");
  json.begin_object();
  json.key("cpus");
  settings.cpus ? json.number(*settings.cpus) : json.null();
  write_optional_integer(json, "memory_bytes", settings.memory_bytes);
  json.end_object();
  json.string_member("restart", settings.restart);
}

template <class T, class Write>
void write_array(JsonWriter& json, std::string_view name, const std::vector<T>& items,
                 Write write) {
  json.key(name);
  json.begin_array();
  for (const T& item : items) write(json, item);
  json.end_array();
}

void write_dependency(JsonWriter& json, const model::Dependency& dependency) {
  json.begin_object();
  json.string_member("service", dependency.service);
  json.string_member("condition", model::to_string(dependency.condition));
  json.end_object();
}

void write_build_file(JsonWriter& json, const model::BuildFile& file) {
  json.begin_object();
  json.string_member("path", file.path);
  json.string_member("sha256", file.sha256);
  json.boolean_member("executable", file.executable);
  json.boolean_member("symlink", file.symlink);
  json.end_object();
}

/// The build's inputs and its manifest: what the next plan compares with to say which files
/// force a rebuild, and what a rollback rebuilds from.
void write_build(JsonWriter& json, const model::BuildSpec& build) {
  json.key("build");
  json.begin_object();
  json.string_member("context", build.context);
  json.string_member("dockerfile", build.dockerfile);
  json.string_map_member("args", build.args);
  json.string_member("target", build.target);
  json.string_map_member("labels", build.labels);
  json.string_member("repository", build.repository);
  json.string_member("content_hash", build.content_hash);
  write_array(json, "files", build.files, write_build_file);
  json.end_object();
}

void write_service(JsonWriter& json, const model::ServiceSpec& spec) {
  json.begin_object();
  json.string_member("name", spec.name);
  json.string_member("image", spec.image);
  if (spec.build) write_build(json, *spec.build);  // absent, not null: records before builds
  write_optional_strings(json, "command", spec.command);
  write_optional_strings(json, "entrypoint", spec.entrypoint);
  json.key("environment");
  json.begin_object();
  for (const auto& [name, env] : spec.env) write_env_value(json, name, env);
  json.end_object();
  write_array(json, "ports", spec.ports, write_port);
  write_array(json, "volumes", spec.volumes, write_mount);
  json.strings_member("networks", spec.networks);
  json.string_map_member("labels", spec.labels);
  write_healthcheck(json, spec.healthcheck);
  json.boolean_member("init", spec.init);
  json.string_member("user", spec.user);
  json.string_member("working_dir", spec.working_dir);
  json.string_member("stop_signal", spec.stop_signal);
  write_optional_integer(json, "stop_grace_period_ms", spec.stop_grace_period_ms);
  write_resources(json, spec.in_place);
  json.integer_member("replicas", spec.replicas);
  write_array(json, "depends_on", spec.depends_on, write_dependency);
  json.string_member("update_order", model::to_string(spec.update_order));
  write_swarm_settings(json, spec.swarm);  // absent when default: containers, older records
  json.string_member("config_hash", spec.config_hash);
  json.end_object();
}

void write_network(JsonWriter& json, const model::NetworkSpec& network) {
  json.begin_object();
  json.string_member("name", network.name);
  json.boolean_member("internal", network.internal);
  json.string_map_member("labels", network.labels);
  json.end_object();
}

void write_volume(JsonWriter& json, const model::VolumeSpec& volume) {
  json.begin_object();
  json.string_member("name", volume.name);
  json.string_map_member("labels", volume.labels);
  json.end_object();
}

// ---- reading ------------------------------------------------------------------------------

/// Reads `name` as one of `choices`; an error listing them otherwise.
template <class Enum, std::size_t N, class Name>
Enum read_choice(JsonReader& reader, JsonObject& object, std::string_view name,
                 const std::array<Enum, N>& choices, Name name_of) {
  std::string text = object.string(name);
  std::string listed;
  for (Enum choice : choices) {
    if (name_of(choice) == text) return choice;
    listed += (listed.empty() ? "" : ", ") + std::string(name_of(choice));
  }
  if (object.member(name) && object.member(name)->IsString())
    reader.error(object.path_of(name), "unknown value '" + text + "'", "expected one of " + listed);
  return choices.front();
}

/// A secret's reference must read as the interpolation wrote it: every '$' escaped but
/// those of `${secret:NAME}`, and at least one secret. Checked with no variables and no
/// secret values, so nothing outside the file is read.
void check_reference(JsonReader& reader, const std::string& reference, const std::string& path) {
  config::InterpolationScope no_values;
  no_values.missing_secret = config::MissingSecret::kWarning;
  Result<config::Interpolated> checked = config::interpolate_text(reference, no_values);
  if (!checked)
    return reader.error(path, "not a valid secret reference: " + checked.errors().front().message);
  if (!checked->used_secret)
    reader.error(path, "the secret reference names no secret", "expected text with ${secret:NAME}");
}

model::EnvValue read_env_value(JsonReader& reader, const JsonValue& value,
                               const std::string& path) {
  if (value.IsString()) return model::EnvValue{reader.string(value, path), false, "", ""};
  if (!value.IsObject()) {
    reader.error(path, "expected a string, or an object with secret and fingerprint, found " +
                           std::string(json_type_name(value)));
    return {};
  }
  JsonObject secret(reader, value, path, {"secret", "fingerprint"});
  model::EnvValue env{"", true, secret.string("fingerprint"), secret.string("secret")};
  if (secret.member("fingerprint") && env.fingerprint.empty())
    reader.error(secret.path_of("fingerprint"), "the fingerprint is empty");
  if (secret.member("secret") && secret.member("secret")->IsString())
    check_reference(reader, env.reference, secret.path_of("secret"));
  return env;
}

std::map<std::string, model::EnvValue> read_environment(JsonReader& reader, JsonObject& service) {
  std::map<std::string, model::EnvValue> env;
  const JsonValue* value = service.member("environment");
  if (value == nullptr) return env;
  for (const JsonReader::Entry& entry : reader.entries(*value, service.path_of("environment")))
    env[entry.key] = read_env_value(reader, *entry.value, entry.path);
  return env;
}

model::PortBinding read_port(JsonReader& reader, const JsonReader::Item& item) {
  JsonObject object(reader, *item.value, item.path,
                    {"host_ip", "host_port", "container_port", "protocol"});
  model::PortBinding port;
  port.host_ip = object.string("host_ip");
  port.host_port = static_cast<int>(object.integer("host_port", 0, kPortMax));
  port.container_port = static_cast<int>(object.integer("container_port", 0, kPortMax));
  port.protocol = object.string("protocol");
  return port;
}

model::Mount read_mount(JsonReader& reader, const JsonReader::Item& item) {
  JsonObject object(reader, *item.value, item.path, {"type", "source", "target", "read_only"});
  model::Mount mount;
  mount.kind = read_choice(reader, object, "type", kMountKinds, mount_type_name);
  mount.source = object.string("source");
  mount.target = object.string("target");
  mount.read_only = object.boolean("read_only");
  return mount;
}

std::optional<model::HealthCheck> read_healthcheck(JsonReader& reader, JsonObject& service) {
  if (service.is_null("healthcheck")) return std::nullopt;
  JsonObject object(reader, *service.member("healthcheck"), service.path_of("healthcheck"),
                    {"test", "interval_ms", "timeout_ms", "start_period_ms", "retries"});
  model::HealthCheck check;
  check.test = object.strings("test");
  check.interval_ms = object.integer("interval_ms", 0, kInt64Max);
  check.timeout_ms = object.integer("timeout_ms", 0, kInt64Max);
  check.start_period_ms = object.integer("start_period_ms", 0, kInt64Max);
  check.retries = static_cast<int>(object.integer("retries", 0, kIntMax));
  return check;
}

model::InPlaceSettings read_in_place(JsonReader& reader, JsonObject& service) {
  model::InPlaceSettings settings;
  settings.restart = service.string("restart");
  const JsonValue* resources = service.member("resources");
  if (resources == nullptr) return settings;
  JsonObject object(reader, *resources, service.path_of("resources"), {"cpus", "memory_bytes"});
  settings.cpus = object.optional_number("cpus");
  settings.memory_bytes = object.optional_integer("memory_bytes", 0, kInt64Max);
  return settings;
}

model::Dependency read_dependency(JsonReader& reader, const JsonReader::Item& item) {
  JsonObject object(reader, *item.value, item.path, {"service", "condition"});
  model::Dependency dependency;
  dependency.service = object.string("service");
  auto name_of = [](model::DependencyCondition condition) { return model::to_string(condition); };
  dependency.condition = read_choice(reader, object, "condition", kConditions, name_of);
  return dependency;
}

/// The items of array member `name`, each read by `read`.
template <class Read>
auto read_array(JsonReader& reader, JsonObject& object, std::string_view name, Read read) {
  std::vector<decltype(read(reader, std::declval<const JsonReader::Item&>()))> values;
  const JsonValue* value = object.member(name);
  if (value == nullptr) return values;
  for (const JsonReader::Item& item : reader.items(*value, object.path_of(name)))
    values.push_back(read(reader, item));
  return values;
}

model::BuildFile read_build_file(JsonReader& reader, const JsonReader::Item& item) {
  JsonObject object(reader, *item.value, item.path, {"path", "sha256", "executable", "symlink"});
  model::BuildFile file;
  file.path = object.string("path");
  file.sha256 = object.string("sha256");
  file.executable = object.boolean("executable");
  file.symlink = object.boolean("symlink");
  return file;
}

std::optional<model::BuildSpec> read_build(JsonReader& reader, JsonObject& service) {
  const JsonValue* value = service.member("build");
  if (value == nullptr || service.is_null("build")) return std::nullopt;
  JsonObject object(
      reader, *value, service.path_of("build"),
      {"context", "dockerfile", "args", "target", "labels", "repository", "content_hash", "files"});
  model::BuildSpec build;
  build.context = object.string("context");
  build.dockerfile = object.string("dockerfile");
  build.args = object.string_map("args");
  build.target = object.string("target");
  build.labels = object.string_map("labels");
  build.repository = object.string("repository");
  build.content_hash = object.string("content_hash");
  build.files = read_array(reader, object, "files", read_build_file);
  return build;
}

model::ServiceSpec read_service(JsonReader& reader, const JsonReader::Item& item) {
  JsonObject object(reader, *item.value, item.path,
                    {"name",       "image",   "command",     "entrypoint",  "environment",
                     "ports",      "volumes", "networks",    "labels",      "healthcheck",
                     "init",       "user",    "working_dir", "stop_signal", "stop_grace_period_ms",
                     "resources",  "restart", "replicas",    "depends_on",  "update_order",
                     "config_hash"},
                    {"build", "swarm"});  // records before builds, or of containers, have none
  model::ServiceSpec spec;
  spec.name = object.string("name");
  spec.image = object.string("image");
  spec.build = read_build(reader, object);
  spec.command = object.optional_strings("command");
  spec.entrypoint = object.optional_strings("entrypoint");
  spec.env = read_environment(reader, object);
  spec.ports = read_array(reader, object, "ports", read_port);
  spec.volumes = read_array(reader, object, "volumes", read_mount);
  spec.networks = object.strings("networks");
  spec.labels = object.string_map("labels");
  spec.healthcheck = read_healthcheck(reader, object);
  spec.init = object.boolean("init");
  spec.user = object.string("user");
  spec.working_dir = object.string("working_dir");
  spec.stop_signal = object.string("stop_signal");
  spec.stop_grace_period_ms = object.optional_integer("stop_grace_period_ms", 0, kInt64Max);
  spec.in_place = read_in_place(reader, object);
  spec.replicas = static_cast<int>(object.integer("replicas", 0, kIntMax));
  spec.depends_on = read_array(reader, object, "depends_on", read_dependency);
  auto order_name = [](model::UpdateOrder order) { return model::to_string(order); };
  spec.update_order = read_choice(reader, object, "update_order", kUpdateOrders, order_name);
  spec.swarm = read_swarm_settings(reader, object);
  spec.config_hash = object.string("config_hash");
  return spec;
}

model::NetworkSpec read_network(JsonReader& reader, const JsonReader::Item& item) {
  JsonObject object(reader, *item.value, item.path, {"name", "internal", "labels"});
  return model::NetworkSpec{object.string("name"), object.boolean("internal"),
                            object.string_map("labels")};
}

model::VolumeSpec read_volume(JsonReader& reader, const JsonReader::Item& item) {
  JsonObject object(reader, *item.value, item.path, {"name", "labels"});
  return model::VolumeSpec{object.string("name"), object.string_map("labels")};
}

/// Two services (networks, volumes) of one name would be one container name for two specs.
template <class Spec>
void check_unique_names(JsonReader& reader, const std::vector<Spec>& specs,
                        const std::string& path) {
  std::set<std::string> seen;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (!seen.insert(specs[i].name).second)
      reader.error(path + "[" + std::to_string(i) + "].name",
                   "the name '" + specs[i].name + "' appears more than once");
  }
}

model::DesiredState read_state(JsonReader& reader, const JsonValue& root) {
  JsonObject object(
      reader, root, "",
      {"format_version", "project", "environment", "protected", "services", "networks", "volumes"});
  model::DesiredState state;
  state.project = object.string("project");
  state.environment = object.string("environment");
  state.protected_environment = object.boolean("protected");
  state.services = read_array(reader, object, "services", read_service);
  state.networks = read_array(reader, object, "networks", read_network);
  state.volumes = read_array(reader, object, "volumes", read_volume);
  check_unique_names(reader, state.services, "services");
  check_unique_names(reader, state.networks, "networks");
  check_unique_names(reader, state.volumes, "volumes");
  return state;
}

// ---- resolving secrets ----------------------------------------------------------------------

/// The value of one secret reference, or the interpolation's own errors (which name the
/// secret and where to set it) placed at the env key.
Result<std::string> secret_value(const std::string& reference,
                                 const config::InterpolationScope& scope, const std::string& path) {
  Result<config::Interpolated> resolved = config::interpolate_text(reference, scope);
  if (!resolved) {
    Diagnostics errors = std::move(resolved).take_errors();
    for (Diagnostic& error : errors) error.path = path;
    return errors;
  }
  if (!resolved->used_secret)
    return make_error({}, path, "the restored value names no secret",
                      "the record's state.json is damaged");
  if (first_invalid_utf8(resolved->text))
    return make_error({}, path, "the value is not valid UTF-8 after interpolation",
                      "check the secrets it refers to");
  return std::move(resolved->text);
}

void add_once(Diagnostics& errors, Diagnostics more) {
  // One missing secret used by many services is one thing to fix: report it once.
  for (Diagnostic& error : more) {
    bool known = std::any_of(errors.begin(), errors.end(),
                             [&](const Diagnostic& e) { return e.message == error.message; });
    if (!known) errors.push_back(std::move(error));
  }
}

}  // namespace

std::string state_to_json(const model::DesiredState& state) {
  JsonWriter json;
  json.begin_object();
  json.string_member("format_version", kStateFormatVersion);
  json.string_member("project", state.project);
  json.string_member("environment", state.environment);
  json.boolean_member("protected", state.protected_environment);
  write_array(json, "services", state.services, write_service);
  write_array(json, "networks", state.networks, write_network);
  write_array(json, "volumes", state.volumes, write_volume);
  json.end_object();
  return json.text();
}

Result<model::DesiredState> state_from_json(std::string_view json, const std::string& what) {
  JsonReader reader(what);
  const JsonValue* root = reader.parse(json);
  if (root == nullptr || !known_format_version(reader, *root, kStateFormatVersion))
    return reader.take_errors();
  model::DesiredState state = read_state(reader, *root);
  if (reader.failed()) return reader.take_errors();
  return state;
}

Status resolve_secrets(model::DesiredState& state, const config::InterpolationScope& scope) {
  config::InterpolationScope strict = scope;
  strict.missing_secret = config::MissingSecret::kError;  // a deployment needs every value
  Diagnostics errors;
  for (model::ServiceSpec& spec : state.services) {
    for (auto& [name, env] : spec.env) {
      if (!env.sensitive) continue;
      Result<std::string> value =
          secret_value(env.reference, strict, "services." + spec.name + ".env." + name);
      if (!value) {
        add_once(errors, std::move(value).take_errors());
        continue;
      }
      env.value = std::move(*value);
      env.fingerprint = config::secret_fingerprint(state.project, name, env.value);
    }
    spec.config_hash = config::service_config_hash(spec);
  }
  if (!errors.empty()) return errors;
  return ok_status();
}

}  // namespace run::history
