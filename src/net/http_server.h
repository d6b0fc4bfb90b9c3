#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "net/http_wire.h"
#include "net/server_connection.h"
#include "net/server_limits.h"

namespace run::net {

struct ServerResponse {
  int status = 200;
  std::vector<Header> headers;
  std::string body;
};

/// A small HTTP/1.1 server for the reconcile loop's endpoints (keep-alive, pipelining, HEAD
/// without the body). Malformed requests get 400, too large ones 413, and the connection is
/// closed.
///
/// Two kinds of thread, so that no client can hold the server by being slow or idle:
/// - one reader (epoll) owns every connection while a request arrives on it: it accepts,
///   reads, and closes a connection idle past keep_alive_timeout or whose request has not
///   arrived whole read_timeout after its first byte (one deadline, however the bytes trickle
///   in), and at max_connections closes the idlest for a newcomer;
/// - a fixed pool of workers, each taking a connection whose whole request has arrived,
///   answering it, and handing it back to the reader to wait for the next one.
/// A worker is thus held only by the handler and by sending (at most write_timeout, by a
/// client that does not read its answers). Chosen over closing idle connections when others
/// wait because kept-alive clients (a Prometheus scraper, a load balancer) then keep their
/// connection, and over a thread per connection because a flood of connections costs a
/// small buffer each, not a thread.
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
  /// Stops accepting, ends every connection (those being answered at once), joins every
  /// thread.
  void stop();

 private:
  using Clock = ServerConnection::Clock;
  using Owned = std::unique_ptr<ServerConnection>;

  /// From any thread: the reader returns from epoll_wait (to take connections back, or stop).
  void wake_reader();
  // The reader's thread.
  void read_loop();
  bool take_back_answered();
  void wait_for_events(Clock::time_point now);
  void accept_all(Clock::time_point now);
  bool make_room();
  void read_from(int fd, Clock::time_point now);
  void watch(Owned connection);
  void hand_to_worker(int fd);
  void drop(int fd);
  void close_expired(Clock::time_point now);
  void resume_accepting(Clock::time_point now);

  // The workers' threads.
  void work();
  Owned next_to_answer();
  bool answer(ServerConnection& connection);
  void hand_back(Owned connection);

  Handler handler_;
  ServerLimits limits_;
  int listener_ = -1;
  int epoll_ = -1;
  int wake_fd_ = -1;  ///< an eventfd: stop() and the workers wake the reader with it
  bool started_ = false;
  std::thread reader_;
  std::vector<std::thread> workers_;
  std::atomic<std::size_t> open_{0};  ///< connections open, wherever they are

  // Only the reader's thread touches these.
  std::map<int, Owned> reading_;             ///< waiting for (the rest of) a request
  Clock::time_point accept_paused_until_{};  ///< out of file descriptors: retry then

  std::mutex mutex_;  ///< for what follows
  std::condition_variable wake_;
  std::deque<Owned> ready_;      ///< a whole request read, waiting for a worker
  std::vector<Owned> answered_;  ///< answered and kept alive, going back to the reader
  std::set<int> serving_;        ///< shut down by stop() so their workers return at once
  bool stopping_ = false;
};

}  // namespace run::net
