#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "net/http_wire.h"

namespace run::net {

/// What keeps slow, idle or hostile clients from holding the server.
struct ServerLimits {
  std::size_t workers = 4;  ///< connections served at once; more wait in the queue
  std::chrono::milliseconds read_timeout{5000};        ///< for the rest of a request once it began
  std::chrono::milliseconds write_timeout{5000};       ///< for sending an answer
  std::chrono::milliseconds keep_alive_timeout{5000};  ///< for the first byte of the next request
  std::size_t keep_alive_max = 100;                    ///< requests on one connection
  std::size_t max_body = 4096;  ///< a larger request body is refused (413) unread
};

struct ServerResponse {
  int status = 200;
  std::vector<Header> headers;
  std::string body;
};

/// A small HTTP/1.1 server for the reconcile loop's endpoints: one accepting thread and a fixed
/// pool of workers, each serving one connection at a time (keep-alive, HEAD without the
/// body). Malformed requests get 400, too large ones 413, and the connection is closed.
class HttpServer {
 public:
  using Handler = std::function<ServerResponse(const Request&)>;

  HttpServer(Handler handler, ServerLimits limits);
  ~HttpServer();  ///< stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /// Binds `host` (an IP address or a name) and `port` (0: any free one) with SO_REUSEADDR
  /// and nothing else (with SO_REUSEPORT a second server on the port would bind too and take
  /// half of the requests). Returns the port bound, or -1 with the errno of the failure.
  int bind(const std::string& host, int port, int& error_number);
  /// Serves on threads of its own until stop().
  void start();
  /// Stops accepting, ends the connections being served, joins every thread.
  void stop();

 private:
  void accept_loop();
  void work();
  void serve(int fd);

  Handler handler_;
  ServerLimits limits_;
  int listener_ = -1;
  bool started_ = false;
  std::thread acceptor_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<int> waiting_;  ///< accepted, not yet served
  std::set<int> serving_;    ///< shut down by stop() so their workers return at once
  bool stopping_ = false;
};

}  // namespace run::net
