#include "reconcile/http_endpoints.h"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <optional>
#include <thread>

#include "reconcile/status_page.h"

namespace run::reconcile {

namespace {

/// Enough workers that an idle or slow client leaves others to answer; few enough that a
/// flood of connections costs little. Each idle connection holds a worker for at most the
/// keep-alive timeout (no request yet) or the read timeout (a request half sent).
constexpr std::size_t kWorkerThreads = 4;
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

/// Why bind failed, from the errno the failed bind() left (httplib keeps no error of its own).
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

/// Like httplib's default but without SO_REUSEPORT, with which a second `run reconcile` on
/// the same port would bind too and receive half of the requests.
void reuse_address_only(socket_t sock) {
  int yes = 1;
  setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

using PageHandler = void (*)(const EndpointSources&, httplib::Response&);

void serve_healthz(const EndpointSources&, httplib::Response& response) {
  response.set_content("ok\n", "text/plain; charset=utf-8");
}

void serve_readyz(const EndpointSources& sources, httplib::Response& response) {
  Readiness ready = readiness(sources.status(), sources.now_unix());
  response.status = ready.ready ? 200 : 503;
  response.set_content((ready.ready ? "ready: " : "not ready: ") + ready.reason + "\n",
                       "text/plain; charset=utf-8");
}

void serve_metrics(const EndpointSources& sources, httplib::Response& response) {
  response.set_content(sources.metrics_text(), "text/plain; version=0.0.4; charset=utf-8");
}

void serve_status_page(const EndpointSources& sources, httplib::Response& response) {
  response.set_content(status_page_html(sources.status()), "text/html; charset=utf-8");
}

std::optional<PageHandler> route_for(const std::string& path) {
  if (path == "/healthz") return serve_healthz;
  if (path == "/readyz") return serve_readyz;
  if (path == "/metrics") return serve_metrics;
  if (path == "/") return serve_status_page;
  return std::nullopt;
}

/// Every request, whatever its method, ends here: GET and HEAD of a known path are served
/// (httplib drops the body of a HEAD), other methods on it get 405, any other path 404.
void respond(const EndpointSources& sources, const httplib::Request& request,
             httplib::Response& response) {
  response.set_header("Cache-Control", "no-store");
  std::optional<PageHandler> route = route_for(request.path);
  if (!route) {
    response.status = 404;
    response.set_content("not found\n", "text/plain; charset=utf-8");
    return;
  }
  if (request.method != "GET" && request.method != "HEAD") {
    response.status = 405;
    response.set_header("Allow", "GET, HEAD");
    response.set_content("method not allowed\n", "text/plain; charset=utf-8");
    return;
  }
  (*route)(sources, response);
}

/// Methods httplib has no handler table for (TRACE, CONNECT, PRI) would get a bare 400;
/// they carry no body, so they are answered before routing.
bool has_handler_table(const std::string& method) {
  for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}) {
    if (method == known) return true;
  }
  return false;
}

void install_routes(httplib::Server& server, const EndpointSources& sources) {
  auto handler = [&sources](const httplib::Request& request, httplib::Response& response) {
    respond(sources, request, response);
  };
  // Registered for every method, after httplib has read (at most kMaxPayloadBytes of) the
  // body, so a refused POST leaves the connection clean for the next request.
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Delete(".*", handler);
  server.Patch(".*", handler);
  server.Options(".*", handler);
  server.set_pre_routing_handler(
      [&sources](const httplib::Request& request, httplib::Response& response) {
        if (has_handler_table(request.method)) return httplib::Server::HandlerResponse::Unhandled;
        respond(sources, request, response);
        return httplib::Server::HandlerResponse::Handled;
      });
}

void configure_limits(httplib::Server& server) {
  server.new_task_queue = [] { return new httplib::ThreadPool(kWorkerThreads); };
  server.set_read_timeout(kReadTimeoutSeconds, 0);
  server.set_write_timeout(kWriteTimeoutSeconds, 0);
  server.set_keep_alive_timeout(kKeepAliveTimeoutSeconds);
  server.set_keep_alive_max_count(kKeepAliveMaxRequests);
  server.set_payload_max_length(kMaxPayloadBytes);
  server.set_socket_options(reuse_address_only);
}

/// Binds `address` (port 0: any free port); the address bound, with its port.
Result<ListenAddress> bind_server(httplib::Server& server, const ListenAddress& address) {
  ListenAddress bound = address;
  errno = 0;
  if (address.port == 0) {
    bound.port = server.bind_to_any_port(address.host);
  } else if (!server.bind_to_port(address.host, address.port)) {
    bound.port = -1;
  }
  int bind_errno = errno;
  if (bound.port >= 0) return bound;
  return make_error(
      SourceLocation{}, "",
      "cannot listen on " + address_text(address) + ": " + bind_failure_reason(bind_errno),
      "choose another address with --listen");
}

}  // namespace

struct HttpEndpoints::Impl {
  EndpointSources sources;  ///< read by the handlers: outlives the server
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  std::atomic<bool> listen_returned{false};
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
  auto server = std::make_unique<httplib::Server>();
  configure_limits(*server);
  install_routes(*server, impl_->sources);

  Result<ListenAddress> bound = bind_server(*server, *address);
  if (!bound) return bound.errors();
  impl_->bound_address = address_text(*bound);
  impl_->server = std::move(server);
  impl_->listen_returned = false;
  impl_->thread = std::thread([impl = impl_.get()] {
    impl->server->listen_after_bind();
    impl->listen_returned = true;
  });
  // Server::stop() does nothing until listen_after_bind() has marked the server running:
  // wait for that, so a stop() right after start() is never lost.
  while (!impl_->server->is_running() && !impl_->listen_returned) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return ok_status();
}

std::string HttpEndpoints::bound_address() const { return impl_->bound_address; }

void HttpEndpoints::stop() {
  if (!impl_->server) return;
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->server.reset();
}

}  // namespace run::reconcile
