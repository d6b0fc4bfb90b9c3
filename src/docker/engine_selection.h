#pragma once

#include <functional>
#include <optional>
#include <string>

#include "core/result.h"
#include "docker/http_docker_api.h"
#include "model/engine_spec.h"

namespace run::docker {

/// What choosing an engine reads besides the config: the endpoint the process environment
/// gives (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, RUN_DOCKER_TIMEOUT), whether
/// DOCKER_HOST was set at all, DOCKER_CONTEXT, the docker CLI's folder (DOCKER_CONFIG, else
/// ~/.docker), and a way to read its files.
struct EngineSurroundings {
  DockerEndpoint from_environment;
  bool docker_host_set = false;
  std::string docker_context;
  std::string docker_config_dir;
  /// The file's content, or nullopt when it cannot be read.
  std::function<std::optional<std::string>(const std::string& path)> read_file;
};

/// The endpoint of an environment, with the docker CLI's precedence: the environment's own
/// `engine:` (host, with its TLS files made absolute against `project_directory`, or a
/// context), else DOCKER_HOST, else DOCKER_CONTEXT, else the CLI's current context
/// (config.json's currentContext), else the local socket. The context "default" is the local
/// socket. A context is read as the CLI stores it: contexts/meta/<sha256 of its name>/meta.json
/// for its host, contexts/tls/<the same>/docker/{ca,cert,key}.pem for its TLS files.
/// Errors: a context that does not exist (with where it looked), one that skips TLS
/// verification (run always verifies), an unsupported host, a TLS file that cannot be read.
Result<DockerEndpoint> choose_endpoint(const std::optional<model::EngineSpec>& engine,
                                       const std::string& project_directory,
                                       const EngineSurroundings& surroundings);

/// The surroundings of this process: its environment variables and the real files.
Result<EngineSurroundings> process_surroundings();

}  // namespace run::docker
