#include "reconcile/http_endpoints.h"

#include <cerrno>
#include <charconv>
#include <chrono>
#include <optional>

#include "net/http_server.h"
#include "reconcile/status_page.h"

namespace run::reconcile {

namespace {

/// Requests answered at once: every route is a few microseconds of work under a short lock,
/// and a worker is taken only once a whole request has arrived (net::HttpServer), so idle or
/// slow clients hold none.
constexpr std::size_t kWorkerThreads = 4;
/// Connections open at once (a few KiB each while a request arrives), far below the file
/// descriptors a process gets; past it the idlest is closed for a newcomer.
constexpr std::size_t kMaxConnections = 512;
constexpr time_t kReadTimeoutSeconds = 5;
constexpr time_t kWriteTimeoutSeconds = 5;
constexpr time_t kKeepAliveTimeoutSeconds = 5;
constexpr std::size_t kKeepAliveMaxRequests = 100;
/// No route takes a body: a request with more than this is refused (413) unread.
constexpr std::size_t kMaxPayloadBytes = 4096;
constexpr std::string_view kListenHint =
    "write HOST:PORT, [IPv6]:PORT or :PORT, e.g. 127.0.0.1:9464";

struct ListenAddress {
  std::string host;
  int port = 0;
};

/// "HOST:PORT", "[v6]:PORT" or ":PORT" (127.0.0.1: serve this machine unless told otherwise).
Result<ListenAddress> parse_listen(const std::string& listen) {
  auto malformed = [&](const std::string& why) -> Result<ListenAddress> {
    return make_error(SourceLocation{}, "", "listen address '" + listen + "' " + why,
                      std::string(kListenHint));
  };
  std::size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return malformed("has no port");
  std::string host = listen.substr(0, colon);
  std::string port_text = listen.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    return malformed("has an IPv6 host without brackets");
  }
  if (host.empty() && colon > 0) return malformed("has an empty host");
  if (host.empty()) host = "127.0.0.1";
  int port = -1;
  auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || error != std::errc() || end != port_text.data() + port_text.size() ||
      port < 0 || port > 65535) {
    return malformed("has no valid port (0 to 65535)");
  }
  return ListenAddress{host, port};
}

/// "127.0.0.1:9464", "[::1]:9464": the form `parse_listen` reads back.
std::string address_text(const ListenAddress& address) {
  bool ipv6 = address.host.find(':') != std::string::npos;
  std::string host = ipv6 ? "[" + address.host + "]" : address.host;
  return host + ":" + std::to_string(address.port);
}

/// Why bind failed, from the errno the failed bind() left.
std::string bind_failure_reason(int bind_errno) {
  switch (bind_errno) {
    case EADDRINUSE:
      return "the port is already in use";
    case EACCES:
      return "permission denied (ports below 1024 need privileges)";
    case EADDRNOTAVAIL:
      return "the address is not one of this machine's";
    default:
      return "the address could not be bound";
  }
}

using PageHandler = net::ServerResponse (*)(const EndpointSources&);

net::ServerResponse text(int status, std::string body,
                         std::string content_type = "text/plain; charset=utf-8") {
  return {status,
          {{"Content-Type", std::move(content_type)}, {"Cache-Control", "no-store"}},
          std::move(body)};
}

net::ServerResponse serve_healthz(const EndpointSources&) { return text(200, "ok\n"); }

net::ServerResponse serve_readyz(const EndpointSources& sources) {
  Readiness ready = readiness(sources.status(), sources.now_unix());
  return text(ready.ready ? 200 : 503,
              (ready.ready ? "ready: " : "not ready: ") + ready.reason + "\n");
}

net::ServerResponse serve_metrics(const EndpointSources& sources) {
  return text(200, sources.metrics_text(), "text/plain; version=0.0.4; charset=utf-8");
}

net::ServerResponse serve_status_page(const EndpointSources& sources) {
  return text(200, status_page_html(sources.status()), "text/html; charset=utf-8");
}

std::optional<PageHandler> route_for(const std::string& path) {
  if (path == "/healthz") return serve_healthz;
  if (path == "/readyz") return serve_readyz;
  if (path == "/metrics") return serve_metrics;
  if (path == "/") return serve_status_page;
  return std::nullopt;
}

/// Every request, whatever its method: GET and HEAD of a known path are served (the server
/// drops the body of a HEAD), other methods on it get 405, any other path 404.
net::ServerResponse respond(const EndpointSources& sources, const net::Request& request) {
  std::optional<PageHandler> route = route_for(request.path);
  if (!route) return text(404, "not found\n");
  if (request.method != "GET" && request.method != "HEAD") {
    net::ServerResponse refused = text(405, "method not allowed\n");
    refused.headers.push_back({"Allow", "GET, HEAD"});
    return refused;
  }
  return (*route)(sources);
}

net::ServerLimits limits() {
  net::ServerLimits limits;
  limits.workers = kWorkerThreads;
  limits.max_connections = kMaxConnections;
  limits.read_timeout = std::chrono::seconds(kReadTimeoutSeconds);
  limits.write_timeout = std::chrono::seconds(kWriteTimeoutSeconds);
  limits.keep_alive_timeout = std::chrono::seconds(kKeepAliveTimeoutSeconds);
  limits.keep_alive_max = kKeepAliveMaxRequests;
  limits.max_body = kMaxPayloadBytes;
  return limits;
}

}  // namespace

struct HttpEndpoints::Impl {
  EndpointSources sources;  ///< read by the handler: outlives the server
  std::unique_ptr<net::HttpServer> server;
  std::string bound_address;
};

HttpEndpoints::HttpEndpoints() : impl_(std::make_unique<Impl>()) {}

HttpEndpoints::~HttpEndpoints() { stop(); }

Status HttpEndpoints::start(const std::string& listen, EndpointSources sources) {
  if (impl_->server) {
    return make_error(SourceLocation{}, "", "the HTTP endpoints are already started");
  }
  Result<ListenAddress> address = parse_listen(listen);
  if (!address) return address.errors();

  impl_->sources = std::move(sources);
  auto server = std::make_unique<net::HttpServer>(
      [sources = &impl_->sources](const net::Request& request) {
        return respond(*sources, request);
      },
      limits());
  int bind_errno = 0;
  int port = server->bind(address->host, address->port, bind_errno);
  if (port < 0)
    return make_error(
        SourceLocation{}, "",
        "cannot listen on " + address_text(*address) + ": " + bind_failure_reason(bind_errno),
        "choose another address with --listen");
  impl_->bound_address = address_text(ListenAddress{address->host, port});
  server->start();
  impl_->server = std::move(server);
  return ok_status();
}

std::string HttpEndpoints::bound_address() const { return impl_->bound_address; }

void HttpEndpoints::stop() {
  if (!impl_->server) return;
  impl_->server->stop();
  impl_->server.reset();
}

}  // namespace run::reconcile
