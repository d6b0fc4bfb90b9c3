#pragma once

#include <optional>
#include <string>

namespace run::model {

/// The client side of a TCP engine's mutual TLS: files, relative to the project directory
/// as written in the config (the workspace makes them absolute).
struct EngineTls {
  std::string ca;    ///< the CA that signed the daemon's certificate
  std::string cert;  ///< this client's certificate
  std::string key;   ///< its key; its path is shown, never its content

  bool operator==(const EngineTls&) const = default;
};

/// `environments.NAME.engine`: the Docker engine an environment deploys to, named by the
/// config instead of DOCKER_HOST. Either a host (unix://, tcp:// with optional TLS, ssh://)
/// or a docker context's name.
struct EngineSpec {
  std::string host;
  std::optional<EngineTls> tls;
  std::string context;

  bool operator==(const EngineSpec&) const = default;
};

}  // namespace run::model
