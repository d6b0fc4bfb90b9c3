#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>

#include "docker/docker_api.h"
#include "net/http_client.h"

namespace run::docker {

/// Where and how to reach the daemon, read from the environment like the docker CLI does.
struct DockerEndpoint {
  /// DOCKER_HOST: unix://PATH, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT]
  std::string host = "unix:///var/run/docker.sock";
  bool tls_verify = false;  ///< DOCKER_TLS_VERIFY (not for ssh://)
  std::string cert_path;    ///< DOCKER_CERT_PATH: ca.pem, cert.pem, key.pem
  /// The TLS files named one by one (an environment's engine: tls, a docker context), used
  /// instead of cert_path's when tls_verify is set.
  std::optional<net::TlsSettings> tls_files;
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(5);
  /// The longest any ordinary request may take (RUN_DOCKER_TIMEOUT, e.g. "30s"); pulls and
  /// waits pass their own.
  std::chrono::milliseconds request_timeout = std::chrono::seconds(30);

  /// From DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH and RUN_DOCKER_TIMEOUT; an ssh://
  /// URL is checked here (SshEngine::parse), so a bad one is an error before any request.
  static Result<DockerEndpoint> from_environment();

  /// Where to connect: the socket, the host and port (2376 with TLS, else 2375, when
  /// DOCKER_HOST names none) with ca.pem, cert.pem and key.pem under cert_path, or for ssh://
  /// the ssh command that runs `docker system dial-stdio` on the remote (SshEngine).
  net::Address address() const;
  bool ssh() const { return host.starts_with("ssh://"); }
};

/// The newest Engine API version this build speaks; the daemon's is used when lower.
inline constexpr const char* kClientApiVersion = "1.43";

/// The Docker Engine API over run's own HTTP/1.1 client (net::HttpClient): connections kept
/// alive, one per request in flight, so callers may send from several threads; a connect
/// timeout and a total timeout on every request; the API version negotiated with the daemon
/// on first use (the lower of its and ours). Not libcurl: loading libcurl and the two dozen
/// libraries it needs was most of a no-op plan's time (bench/README.md).
class HttpDockerApi final : public DockerApi {
 public:
  explicit HttpDockerApi(DockerEndpoint endpoint);
  HttpDockerApi(const HttpDockerApi&) = delete;
  HttpDockerApi& operator=(const HttpDockerApi&) = delete;

  Result<DockerResponse> request(std::string_view method, const std::string& path,
                                 const std::string& body,
                                 std::chrono::milliseconds timeout) override;
  Result<long> post_streamed(const StreamedPost& post,
                             const std::function<void(std::string_view line)>& on_line,
                             const std::atomic<bool>& stop) override;
  Status get_streamed(const std::string& path,
                      const std::function<void(std::string_view bytes)>& on_bytes,
                      const std::atomic<bool>& stop) override;
  Status post_attached(const std::string& path, const std::string& body,
                       const std::function<void(std::string_view bytes)>& on_bytes,
                       const std::atomic<bool>& stop) override;
  Result<std::unique_ptr<AttachedStream>> post_hijacked(const std::string& path,
                                                        const std::string& body) override;
  std::string endpoint() const override { return endpoint_.host; }

  /// The negotiated API version ("1.41"), negotiating first if needed.
  Result<std::string> api_version();

  /// Follows a streaming GET (`/events?...`): calls `on_line` for each line of the answer as
  /// it arrives, with no total timeout, until `stop` is set (checked at least once a second)
  /// or the daemon ends the stream. Returns ok when stopped; an error when the stream could
  /// not be opened, was answered with a non-2xx status, or broke (the daemon restarted).
  Status follow_lines(const std::string& path, const std::atomic<bool>& stop,
                      const std::function<void(std::string_view line)>& on_line);

 private:
  Result<net::HttpAnswer> send(std::string_view method, const std::string& path,
                               const std::string& body, std::chrono::milliseconds timeout);
  Status relay_stream(const net::HttpRequest& request, std::string_view method,
                      const std::string& path,
                      const std::function<void(std::string_view bytes)>& on_bytes,
                      const std::atomic<bool>& stop);
  Diagnostic connection_error(const net::NetError& error, std::string_view method,
                              const std::string& path) const;
  /// What to try when an ssh:// engine cannot be reached: the same ssh by hand.
  std::string ssh_hint() const;
  Status negotiate();
  Status ping_for_version();

  DockerEndpoint endpoint_;
  net::HttpClient client_;
  std::string api_version_;
  Diagnostics negotiation_errors_;  // kept: a daemon that did not answer once is not asked again
  std::mutex negotiate_mutex_;
};

}  // namespace run::docker
