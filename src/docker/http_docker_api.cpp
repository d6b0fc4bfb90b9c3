#include "docker/http_docker_api.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "docker/ssh_engine.h"
#include "model/units.h"

namespace run::docker {

namespace {

std::string getenv_or(const char* name, std::string fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

/// "1.41" < "1.43", compared as numbers.
bool version_less(const std::string& a, const std::string& b) {
  auto parts = [](const std::string& v) {
    int major = 0, minor = 0;
    std::size_t dot = v.find('.');
    std::from_chars(v.data(), v.data() + (dot == std::string::npos ? v.size() : dot), major);
    if (dot != std::string::npos) std::from_chars(v.data() + dot + 1, v.data() + v.size(), minor);
    return std::pair{major, minor};
  };
  return parts(a) < parts(b);
}

std::string seconds_text(std::chrono::milliseconds timeout) {
  return std::to_string(timeout.count() / 1000) +
         (timeout.count() % 1000 ? "." + std::to_string(timeout.count() % 1000 / 100) : "") + " s";
}

/// Cuts an answer into lines as its pieces arrive, for JSON-lines streams (events, build
/// progress). Docker ends some lines with CRLF; neither end is passed on, nor empty lines.
class LineSplitter {
 public:
  explicit LineSplitter(const std::function<void(std::string_view)>& on_line) : on_line_(on_line) {}

  void feed(std::string_view piece) {
    pending_.append(piece);
    std::size_t start = 0;
    for (std::size_t end; (end = pending_.find('\n', start)) != std::string::npos; start = end + 1)
      pass(std::string_view(pending_).substr(start, end - start));
    pending_.erase(0, start);
  }
  /// The answer ended: its last line, if it had no line end.
  void finish() {
    pass(pending_);
    pending_.clear();
  }

 private:
  void pass(std::string_view line) {
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!line.empty()) on_line_(line);
  }

  const std::function<void(std::string_view)>& on_line_;
  std::string pending_;  // the bytes after the last line end
};

/// The first bytes of an error answer, enough for Docker's {"message": ...}.
constexpr std::size_t kErrorBodyLimit = 64 * 1024;

std::string without_query(const std::string& path) { return path.substr(0, path.find('?')); }

net::HttpRequest streamed_request(const std::string& version, const StreamedPost& post) {
  net::HttpRequest request{"POST", "/v" + version + post.path, {}, {}};
  request.headers.push_back({"Content-Type", post.content_type});
  for (const auto& [name, value] : post.headers) request.headers.push_back({name, value});
  return request;
}

/// `body`, noting in `abandoned` when it gave up of itself rather than because a piece was
/// refused (the daemon went away, or a stop): that failure is the caller's, not the daemon's.
net::BodyWriter noting_abandon(const BodyWriter& body, bool& abandoned) {
  return [&body, &abandoned](const std::function<bool(std::string_view)>& write) {
    bool refused = false;
    bool written = body([&](std::string_view piece) {
      if (write(piece)) return true;
      refused = true;
      return false;
    });
    abandoned = !written && !refused;
    return written;
  };
}

/// An exec's taken-over connection, as the docker layer reads and writes it.
class HijackedAttachedStream final : public AttachedStream {
 public:
  HijackedAttachedStream(std::unique_ptr<net::HijackedStream> stream, std::string what,
                         std::chrono::milliseconds write_timeout)
      : stream_(std::move(stream)), what_(std::move(what)), write_timeout_(write_timeout) {}

  Result<StreamState> read(std::string& bytes, std::chrono::milliseconds wait) override {
    char buffer[16 * 1024];
    net::NetError error;
    std::optional<std::size_t> count =
        stream_->read(buffer, sizeof buffer, net::Clock::now() + wait, error);
    if (!count && error.kind == net::NetError::Kind::kTimeout) return StreamState::kOpen;
    if (!count) return make_error(SourceLocation{}, "", what_ + " broke: " + error.detail);
    if (*count == 0) return StreamState::kEnded;
    bytes.append(buffer, *count);
    return StreamState::kOpen;
  }
  Status write(std::string_view bytes) override {
    net::NetError error;
    if (stream_->write(bytes, net::Clock::now() + write_timeout_, error)) return ok_status();
    if (error.kind == net::NetError::Kind::kTimeout)
      error.detail = "Docker took no input for " + seconds_text(write_timeout_);
    return make_error(SourceLocation{}, "", what_ + " broke: " + error.detail);
  }
  void close_write() override { stream_->close_write(); }

 private:
  std::unique_ptr<net::HijackedStream> stream_;
  std::string what_;
  std::chrono::milliseconds write_timeout_;
};

}  // namespace

Result<DockerEndpoint> DockerEndpoint::from_environment() {
  DockerEndpoint endpoint;
  endpoint.host = getenv_or("DOCKER_HOST", endpoint.host);
  endpoint.tls_verify = !getenv_or("DOCKER_TLS_VERIFY", "").empty();
  endpoint.cert_path = getenv_or("DOCKER_CERT_PATH", getenv_or("HOME", "") + "/.docker");
  std::string timeout = getenv_or("RUN_DOCKER_TIMEOUT", "");
  if (!timeout.empty()) {
    std::optional<std::int64_t> milliseconds = model::parse_duration_ms(timeout);
    if (!milliseconds || *milliseconds == 0)
      return make_error(SourceLocation{}, "",
                        "RUN_DOCKER_TIMEOUT='" + timeout + "' is not a duration",
                        "write e.g. 30s or 500ms");
    endpoint.request_timeout = std::chrono::milliseconds(*milliseconds);
  }
  if (endpoint.ssh()) {
    Result<SshEngine> engine = SshEngine::parse(endpoint.host);
    if (!engine) return engine.errors();
    return endpoint;
  }
  if (!endpoint.host.starts_with("unix://") && !endpoint.host.starts_with("tcp://"))
    return make_error(
        SourceLocation{}, "", "DOCKER_HOST='" + endpoint.host + "' is not supported",
        "use unix:///path/to/docker.sock, tcp://host:port or ssh://[user@]host[:port]");
  return endpoint;
}

net::Address DockerEndpoint::address() const {
  if (host.starts_with("unix://")) return net::Address::unix_socket(host.substr(7));
  if (ssh()) {
    // TLS settings mean nothing here: ssh encrypts, and dial-stdio reaches a local socket.
    Result<SshEngine> engine = SshEngine::parse(host);
    // from_environment refused a bad URL; one set by hand fails at the first request instead.
    return net::Address::command_stream(engine ? engine->command() : std::vector<std::string>{});
  }
  std::string authority = host.substr(6);
  authority = authority.substr(0, authority.find('/'));
  std::string name = authority, port = tls_verify ? "2376" : "2375";
  std::size_t colon = authority.rfind(':');
  std::size_t bracket = authority.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    name = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (name.size() > 1 && name.front() == '[' && name.back() == ']')
    name = name.substr(1, name.size() - 2);
  std::optional<net::TlsSettings> tls;
  if (tls_verify)
    tls = tls_files ? *tls_files
                    : net::TlsSettings{cert_path + "/ca.pem", cert_path + "/cert.pem",
                                       cert_path + "/key.pem"};
  return net::Address::tcp(name, port, std::move(tls));
}

HttpDockerApi::HttpDockerApi(DockerEndpoint endpoint)
    : endpoint_(std::move(endpoint)), client_(endpoint_.address(), endpoint_.connect_timeout) {}

Result<net::HttpAnswer> HttpDockerApi::send(std::string_view method, const std::string& path,
                                            const std::string& body,
                                            std::chrono::milliseconds timeout) {
  net::HttpRequest request{std::string(method), path, {}, body};
  if (method == "POST" || method == "PUT")
    request.headers.push_back({"Content-Type", "application/json"});
  auto started = std::chrono::steady_clock::now();
  std::variant<net::HttpAnswer, net::NetError> outcome = client_.exchange(request, timeout);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  if (auto* error = std::get_if<net::NetError>(&outcome)) {
    if (error->kind == net::NetError::Kind::kTimeout)
      return make_error(SourceLocation{}, "",
                        "Docker at " + endpoint_.host + " did not answer " + std::string(method) +
                            " " + path.substr(0, path.find('?')) + " within " +
                            seconds_text(timeout),
                        (endpoint_.ssh() ? ssh_hint()
                                         : "check that dockerd is running and responsive "
                                           "(docker info)") +
                            "; RUN_DOCKER_TIMEOUT sets the limit");
    return connection_error(*error, method, path);
  }
  net::HttpAnswer& answer = std::get<net::HttpAnswer>(outcome);
  spdlog::debug("docker: {} {} -> {} ({} ms)", method, path, answer.head.status, elapsed.count());
  return std::move(answer);
}

namespace {

/// What OpenSSL says of a refused handshake, on either side: a certificate problem, which
/// no restart of dockerd fixes.
bool certificate_problem(const std::string& detail) {
  return detail.find("certificate") != std::string::npos ||
         detail.find("SSL routines") != std::string::npos;
}

constexpr const char* kCertificateHint =
    "the CA given (engine.tls.ca, or ca.pem of DOCKER_CERT_PATH) must have signed the daemon's "
    "certificate for this host, and the daemon's tlscacert the client's";

}  // namespace

Diagnostic HttpDockerApi::connection_error(const net::NetError& error, std::string_view method,
                                           const std::string& path) const {
  bool certificate = certificate_problem(error.detail);
  if (error.kind == net::NetError::Kind::kConnect)
    return make_error(SourceLocation{}, "",
                      "cannot reach Docker at " + endpoint_.host + ": " + error.detail,
                      endpoint_.ssh() ? ssh_hint()
                      : certificate   ? kCertificateHint
                                      : "is dockerd running? (docker info); DOCKER_HOST "
                                        "chooses another daemon");
  return make_error(SourceLocation{}, "",
                    "Docker at " + endpoint_.host + " broke off " + std::string(method) + " " +
                        without_query(path) + ": " + error.detail,
                    endpoint_.ssh() ? ssh_hint()
                    : certificate   ? kCertificateHint
                                    : "is dockerd running? (docker info)");
}

std::string HttpDockerApi::ssh_hint() const {
  Result<SshEngine> engine = SshEngine::parse(endpoint_.host);
  std::string command = "ssh";
  if (engine) {
    if (!engine->port.empty()) command += " -p " + engine->port;
    command += " " + (engine->user.empty() ? "" : engine->user + "@") + engine->host;
  }
  return "check that `" + command +
         " docker version` works from this shell, without a prompt (~/.ssh/config applies; "
         "a key needs no passphrase or is in ssh-agent)";
}

Status HttpDockerApi::negotiate() {
  if (!api_version_.empty()) return ok_status();
  if (!negotiation_errors_.empty()) return negotiation_errors_;
  Status status = ping_for_version();
  if (!status) negotiation_errors_ = status.errors();
  return status;
}

Status HttpDockerApi::ping_for_version() {
  Result<net::HttpAnswer> ping = send("GET", "/_ping", "", endpoint_.request_timeout);
  if (!ping) return ping.errors();
  if (ping->head.status != 200)
    return make_error(SourceLocation{}, "",
                      "Docker at " + endpoint_.host + " answered /_ping with HTTP " +
                          std::to_string(ping->head.status),
                      // Go's TLS server answers plain HTTP with a 400.
                      ping->head.status == 400 && !endpoint_.tls_verify
                          ? "a TLS port answers plain HTTP with 400: give the engine tls: (or "
                            "DOCKER_TLS_VERIFY=1 with DOCKER_CERT_PATH)"
                          : "");
  std::string daemon_version = ping->head.header("API-Version").value_or("");
  if (daemon_version.empty())
    return make_error(SourceLocation{}, "",
                      "the server at " + endpoint_.host +
                          " does not look like a Docker daemon (no API-Version header)");
  api_version_ =
      version_less(daemon_version, kClientApiVersion) ? daemon_version : kClientApiVersion;
  spdlog::debug("docker: API version {} (daemon {}, client {})", api_version_, daemon_version,
                kClientApiVersion);
  return ok_status();
}

Result<std::string> HttpDockerApi::api_version() {
  std::lock_guard lock(negotiate_mutex_);
  if (Status status = negotiate(); !status) return status.errors();
  return api_version_;
}

Result<DockerResponse> HttpDockerApi::request(std::string_view method, const std::string& path,
                                              const std::string& body,
                                              std::chrono::milliseconds timeout) {
  {
    std::lock_guard lock(negotiate_mutex_);
    if (Status status = negotiate(); !status) return status.errors();
  }
  Result<net::HttpAnswer> answer = send(method, "/v" + api_version_ + path, body,
                                        timeout.count() == 0 ? endpoint_.request_timeout : timeout);
  if (!answer) return answer.errors();
  return DockerResponse{answer->head.status, std::move(answer->body)};
}

Status HttpDockerApi::follow_lines(const std::string& path, const std::atomic<bool>& stop,
                                   const std::function<void(std::string_view line)>& on_line) {
  Result<std::string> version = api_version();
  if (!version) return version.errors();
  std::string what =
      "the stream GET " + path.substr(0, path.find('?')) + " from Docker at " + endpoint_.host;
  int status = 0;
  LineSplitter lines(on_line);
  std::optional<net::NetError> broke = client_.stream(
      net::HttpRequest{"GET", "/v" + *version + path, {}, {}}, stop,
      [&](const net::ResponseHead& head) { return (status = head.status) >= 200 && status < 300; },
      [&](std::string_view piece) { lines.feed(piece); });
  if (stop.load()) return ok_status();
  if (broke) return make_error(SourceLocation{}, "", what + " broke: " + broke->detail);
  if (status != 0 && (status < 200 || status > 299))
    return make_error(SourceLocation{}, "",
                      what + " was refused (HTTP " + std::to_string(status) + ")");
  return make_error(SourceLocation{}, "", what + " ended");
}

Status HttpDockerApi::get_streamed(const std::string& path,
                                   const std::function<void(std::string_view bytes)>& on_bytes,
                                   const std::atomic<bool>& stop) {
  Result<std::string> version = api_version();
  if (!version) return version.errors();
  return relay_stream(net::HttpRequest{"GET", "/v" + *version + path, {}, {}}, "GET", path,
                      on_bytes, stop);
}

Status HttpDockerApi::post_attached(const std::string& path, const std::string& body,
                                    const std::function<void(std::string_view bytes)>& on_bytes,
                                    const std::atomic<bool>& stop) {
  Result<std::string> version = api_version();
  if (!version) return version.errors();
  net::HttpRequest request{"POST", "/v" + *version + path, {}, body};
  request.headers.push_back({"Content-Type", "application/json"});
  return relay_stream(request, "POST", path, on_bytes, stop);
}

Result<std::unique_ptr<AttachedStream>> HttpDockerApi::post_hijacked(const std::string& path,
                                                                     const std::string& body) {
  Result<std::string> version = api_version();
  if (!version) return version.errors();
  net::HttpRequest request{"POST", "/v" + *version + path, {}, body};
  request.headers.push_back({"Content-Type", "application/json"});
  std::variant<net::TakeoverAnswer, net::NetError> outcome =
      client_.hijack(request, "tcp", endpoint_.request_timeout);
  if (auto* error = std::get_if<net::NetError>(&outcome))
    return connection_error(*error, "POST", path);
  net::TakeoverAnswer& answer = std::get<net::TakeoverAnswer>(outcome);
  spdlog::debug("docker: POST {} -> {} (hijacked: {})", path, answer.head.status,
                answer.stream != nullptr);
  if (!answer.stream) {
    // Docker refused with its reason; a 2xx without a stream cannot happen (see hijack).
    Result<std::string> refused =
        expect_success(DockerResponse{answer.head.status, answer.body}, "POST", path, *this);
    if (!refused) return refused.errors();
    return make_error(SourceLocation{}, "", "Docker did not take over POST " + without_query(path));
  }
  return std::unique_ptr<AttachedStream>(std::make_unique<HijackedAttachedStream>(
      std::move(answer.stream), "the attached stream of POST " + without_query(path),
      endpoint_.request_timeout));
}

Status HttpDockerApi::relay_stream(const net::HttpRequest& request, std::string_view method,
                                   const std::string& path,
                                   const std::function<void(std::string_view bytes)>& on_bytes,
                                   const std::atomic<bool>& stop) {
  long status = 0;
  std::string refusal;  // the body of a non-2xx answer, for Docker's message
  std::optional<net::NetError> broke = client_.stream(
      request, stop,
      [&](const net::ResponseHead& head) {
        status = head.status;
        return true;  // the body either way: the stream, or Docker's reason
      },
      [&](std::string_view piece) {
        if (status >= 200 && status < 300) {
          on_bytes(piece);
          return;
        }
        refusal.append(
            piece.substr(0, kErrorBodyLimit - std::min(kErrorBodyLimit, refusal.size())));
      });
  if (stop.load()) return ok_status();
  if (broke) return connection_error(*broke, method, path);
  if (status < 200 || status > 299) {
    Result<std::string> refused =
        expect_success(DockerResponse{status, refusal}, method, path, *this);
    if (!refused) return refused.errors();
  }
  return ok_status();
}

Result<long> HttpDockerApi::post_streamed(const StreamedPost& post,
                                          const std::function<void(std::string_view line)>& on_line,
                                          const std::atomic<bool>& stop) {
  Result<std::string> version = api_version();
  if (!version) return version.errors();
  long status = 0;
  std::string refusal;  // the body of a non-2xx answer, for Docker's message
  LineSplitter lines(on_line);
  auto on_body = [&](std::string_view piece) {
    if (status >= 200 && status < 300) {
      lines.feed(piece);
      return;
    }
    refusal.append(piece.substr(0, kErrorBodyLimit - std::min(kErrorBodyLimit, refusal.size())));
  };
  bool abandoned = false;
  std::optional<net::NetError> broke = client_.upload(
      streamed_request(*version, post), noting_abandon(post.body, abandoned), stop,
      [&](const net::ResponseHead& head) {
        status = head.status;
        return true;  // the body either way: lines, or Docker's reason
      },
      on_body);
  std::string what = "POST " + without_query(post.path) + " to Docker at " + endpoint_.host;
  if (stop.load()) return make_error(SourceLocation{}, "", what + " interrupted");
  if (broke && abandoned)
    return make_error(SourceLocation{}, "", what + " abandoned: its body could not be written");
  if (broke) return connection_error(*broke, "POST", post.path);
  if (status < 200 || status > 299) {
    Result<std::string> refused =
        expect_success(DockerResponse{status, refusal}, "POST", post.path, *this);
    if (!refused) return refused.errors();
  }
  lines.finish();
  return status;
}

}  // namespace run::docker
