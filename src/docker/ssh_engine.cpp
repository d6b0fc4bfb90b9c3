#include "docker/ssh_engine.h"

#include <algorithm>
#include <cctype>
#include <optional>

namespace run::docker {

namespace {

/// ssh's limit for reaching the host (the docker CLI sets one too). Below run's default request
/// timeout (30 s), so that an unreachable host is reported with ssh's reason ("Connection timed
/// out") rather than as a daemon that did not answer.
constexpr const char* kConnectTimeout = "ConnectTimeout=20";

Diagnostic bad_url(std::string_view url, const std::string& why) {
  return make_error(SourceLocation{}, "", "DOCKER_HOST='" + std::string(url) + "' " + why,
                    "write ssh://[user@]host[:port], e.g. ssh://deploy@10.0.0.5 or "
                    "ssh://deploy@host:2222");
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

Result<SshEngine> SshEngine::parse(std::string_view url) {
  constexpr std::string_view kScheme = "ssh://";
  if (!url.starts_with(kScheme)) return bad_url(url, "is not an ssh:// URL");
  std::string_view rest = url.substr(kScheme.size());
  std::size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? "" : rest.substr(end);
  if (!tail.empty() && tail != "/")
    return bad_url(url, tail.front() == '/'
                            ? "has a path ('" + std::string(tail) +
                                  "'): run always reaches the remote's default Docker socket"
                            : "has a query or fragment ('" + std::string(tail) + "')");
  SshEngine engine;
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    engine.user = std::string(authority.substr(0, at));
    authority.remove_prefix(at + 1);
    if (std::size_t colon = engine.user.find(':'); colon != std::string::npos) {
      // Not repeated in the message: it would land in logs and CI output.
      std::string shown =
          "ssh://" + engine.user.substr(0, colon) + ":***@" + std::string(authority);
      return bad_url(shown,
                     "has a password: ssh takes keys or an agent, never a password in a URL");
    }
    if (engine.user.empty()) return bad_url(url, "has an empty user before '@'");
  }
  std::string_view host = authority;
  std::optional<std::string_view> port;  // set when a ':' follows the host
  if (authority.starts_with('[')) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad_url(url, "has an unclosed '[' in its host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(':'))
      return bad_url(url, "has '" + std::string(after) + "' after its host");
    if (!after.empty()) port = after.substr(1);
  } else if (std::size_t colon = authority.find(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return bad_url(url, "has no host");
  if (host.front() == '-') return bad_url(url, "has a host that starts with '-'");
  if (port) {
    int number = all_digits(*port) && port->size() <= 5 ? std::stoi(std::string(*port)) : 0;
    if (number < 1 || number > 65535)
      return bad_url(
          url, "has a bad port '" + std::string(*port) + "': a port is a number from 1 to 65535");
  }
  engine.host = std::string(host);
  engine.port = std::string(port.value_or(""));
  return engine;
}

std::vector<std::string> SshEngine::command() const {
  std::vector<std::string> argv{"ssh", "-o", kConnectTimeout, "-T"};
  if (!user.empty()) argv.insert(argv.end(), {"-l", user});
  if (!port.empty()) argv.insert(argv.end(), {"-p", port});
  argv.insert(argv.end(), {"--", host, "docker", "system", "dial-stdio"});
  return argv;
}

}  // namespace run::docker
