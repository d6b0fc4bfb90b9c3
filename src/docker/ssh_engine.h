#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace run::docker {

/// A Docker engine reached over ssh (DOCKER_HOST=ssh://[user@]host[:port]), as the docker CLI
/// reaches one: ssh runs `docker system dial-stdio` on the remote, which connects to the
/// remote's own daemon socket and relays its stdin and stdout to it, so run speaks HTTP over
/// ssh's pipes. ssh does the rest: ~/.ssh/config, keys, the agent, known hosts.
struct SshEngine {
  std::string user;  ///< empty: ssh's default (~/.ssh/config, else the local user)
  std::string host;  ///< a name or an address (IPv6 without its brackets)
  std::string port;  ///< empty: ssh's default

  /// `url` ("ssh://deploy@10.0.0.5:2222"), or an error naming what is wrong with it: a
  /// password, a path (run always reaches the remote's default socket), a query, a bad port.
  static Result<SshEngine> parse(std::string_view url);

  /// The command that carries the connection:
  /// `ssh -o ConnectTimeout=20 -T [-l USER] [-p PORT] -- HOST docker system dial-stdio`.
  /// `-T`: no terminal on the remote (a login shell's output would corrupt the stream); the
  /// host after `--`, so that no host name can be read as an option.
  std::vector<std::string> command() const;
};

}  // namespace run::docker
