#include "docker/engine_selection.h"

#include <rapidjson/document.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/digest.h"
#include "docker/json_fields.h"
#include "docker/ssh_engine.h"

namespace run::docker {

namespace {

constexpr const char* kDefaultHost = "unix:///var/run/docker.sock";

Diagnostic engine_error(std::string message, std::string hint) {
  return make_error(SourceLocation{}, "", std::move(message), std::move(hint));
}

std::string absolute(const std::string& path, const std::string& project_directory) {
  if (path.empty() || path.front() == '/' || project_directory.empty()) return path;
  return project_directory + "/" + path;
}

bool supported_host(const std::string& host) {
  return host.starts_with("unix://") || host.starts_with("tcp://") || host.starts_with("ssh://");
}

/// The environment's endpoint with its host and TLS files; the timeouts of the process's.
Result<DockerEndpoint> host_endpoint(const model::EngineSpec& engine,
                                     const std::string& project_directory,
                                     const EngineSurroundings& surroundings) {
  DockerEndpoint endpoint = surroundings.from_environment;
  endpoint.host = engine.host;
  endpoint.tls_verify = engine.tls.has_value();
  endpoint.tls_files.reset();
  if (engine.tls) {
    net::TlsSettings files{absolute(engine.tls->ca, project_directory),
                           absolute(engine.tls->cert, project_directory),
                           absolute(engine.tls->key, project_directory)};
    for (const std::string* file : {&files.ca_file, &files.cert_file, &files.key_file})
      if (!surroundings.read_file(*file))
        return engine_error("cannot read " + *file + ", a TLS file of the engine " + engine.host,
                            "paths in engine.tls are relative to run-config.yaml's folder");
    endpoint.tls_files = std::move(files);
  }
  return endpoint;
}

/// The docker CLI names a context's folders by the SHA-256 of the context's name.
std::string context_folder(const EngineSurroundings& surroundings, const std::string& kind,
                           const std::string& name) {
  return surroundings.docker_config_dir + "/contexts/" + kind + "/" + config::sha256_hex(name);
}

Result<DockerEndpoint> context_endpoint(const std::string& name,
                                        const EngineSurroundings& surroundings) {
  DockerEndpoint endpoint = surroundings.from_environment;
  endpoint.tls_verify = false;
  endpoint.tls_files.reset();
  if (name == "default") {
    endpoint.host = kDefaultHost;
    return endpoint;
  }
  std::string meta_file = context_folder(surroundings, "meta", name) + "/meta.json";
  std::optional<std::string> meta = surroundings.read_file(meta_file);
  if (!meta)
    return engine_error("no docker context '" + name + "' (looked for " + meta_file + ")",
                        "docker context ls lists the contexts; DOCKER_CONFIG names another "
                        "folder than ~/.docker");
  rapidjson::Document json;
  json.Parse(meta->c_str(), meta->size());
  const rapidjson::Value* docker = nullptr;
  if (!json.HasParseError() && json.IsObject() && json.HasMember("Endpoints") &&
      json["Endpoints"].IsObject() && json["Endpoints"].HasMember("docker") &&
      json["Endpoints"]["docker"].IsObject())
    docker = &json["Endpoints"]["docker"];
  if (docker == nullptr || string_member(*docker, "Host").empty())
    return engine_error("docker context '" + name + "' has no Docker endpoint (" + meta_file + ")",
                        "docker context inspect " + name);
  endpoint.host = string_member(*docker, "Host");
  if (docker->HasMember("SkipTLSVerify") && (*docker)["SkipTLSVerify"].IsBool() &&
      (*docker)["SkipTLSVerify"].GetBool())
    return engine_error("docker context '" + name +
                            "' skips TLS verification; run always "
                            "verifies the engine's certificate",
                        "give the context its CA: docker context update " + name +
                            " --docker host=...,ca=ca.pem,cert=cert.pem,key=key.pem");
  std::string tls = context_folder(surroundings, "tls", name) + "/docker";
  if (surroundings.read_file(tls + "/ca.pem")) {
    endpoint.tls_verify = true;
    endpoint.tls_files = net::TlsSettings{tls + "/ca.pem", tls + "/cert.pem", tls + "/key.pem"};
  }
  return endpoint;
}

/// config.json's currentContext, the context `docker context use` chose; empty when none.
std::string current_context(const EngineSurroundings& surroundings) {
  std::optional<std::string> text =
      surroundings.read_file(surroundings.docker_config_dir + "/config.json");
  if (!text) return {};
  rapidjson::Document json;
  json.Parse(text->c_str(), text->size());
  if (json.HasParseError() || !json.IsObject()) return {};
  return string_member(json, "currentContext");
}

Result<DockerEndpoint> checked(Result<DockerEndpoint> endpoint, const std::string& source) {
  if (endpoint && !supported_host(endpoint->host))
    return engine_error(
        source + " names the engine '" + endpoint->host + "', which is not supported",
        "use unix:///path/to/docker.sock, tcp://host:port or ssh://[user@]host[:port]");
  if (endpoint && endpoint->ssh()) {
    // The same refusals as for DOCKER_HOST: a path, a password, a bad port.
    if (Result<SshEngine> ssh = SshEngine::parse(endpoint->host); !ssh) return ssh.errors();
  }
  return endpoint;
}

std::optional<std::string> read_whole_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::ostringstream text;
  text << file.rdbuf();
  if (file.bad()) return std::nullopt;
  return text.str();
}

std::string getenv_or_empty(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

}  // namespace

Result<DockerEndpoint> choose_endpoint(const std::optional<model::EngineSpec>& engine,
                                       const std::string& project_directory,
                                       const EngineSurroundings& surroundings) {
  if (engine && !engine->host.empty())
    return checked(host_endpoint(*engine, project_directory, surroundings),
                   "the environment's engine.host");
  if (engine && !engine->context.empty())
    return checked(context_endpoint(engine->context, surroundings),
                   "docker context '" + engine->context + "'");
  if (surroundings.docker_host_set) return surroundings.from_environment;
  if (!surroundings.docker_context.empty())
    return checked(context_endpoint(surroundings.docker_context, surroundings),
                   "DOCKER_CONTEXT='" + surroundings.docker_context + "'");
  if (std::string current = current_context(surroundings); !current.empty())
    return checked(context_endpoint(current, surroundings),
                   "the docker CLI's current context '" + current + "'");
  return surroundings.from_environment;
}

Result<EngineSurroundings> process_surroundings() {
  Result<DockerEndpoint> from_environment = DockerEndpoint::from_environment();
  if (!from_environment) return from_environment.errors();
  EngineSurroundings surroundings;
  surroundings.from_environment = std::move(*from_environment);
  surroundings.docker_host_set = !getenv_or_empty("DOCKER_HOST").empty();
  surroundings.docker_context = getenv_or_empty("DOCKER_CONTEXT");
  surroundings.docker_config_dir = getenv_or_empty("DOCKER_CONFIG");
  if (surroundings.docker_config_dir.empty())
    surroundings.docker_config_dir = getenv_or_empty("HOME") + "/.docker";
  surroundings.read_file = read_whole_file;
  return surroundings;
}

}  // namespace run::docker
