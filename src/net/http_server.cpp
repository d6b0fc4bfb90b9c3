#include "net/http_server.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "net/connection.h"

namespace run::net {

namespace {

/// Accepted connections waiting for a worker beyond this are closed at once.
constexpr std::size_t kQueueLimit = 64;

/// Waits for `events` on `fd` until `deadline`; false on timeout or error.
bool wait_for(int fd, short events, Clock::time_point deadline) {
  return poll_until(fd, events, deadline) > 0;
}

bool send_all(int fd, std::string_view bytes, Clock::time_point deadline) {
  while (!bytes.empty()) {
    ssize_t sent = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(sent));
    } else if (sent < 0 && (errno == EAGAIN || errno == EINTR)) {
      if (!wait_for(fd, POLLOUT, deadline)) return false;
    } else {
      return false;
    }
  }
  return true;
}

ServerResponse plain(int status, std::string text) {
  return {status, {{"Content-Type", "text/plain; charset=utf-8"}}, std::move(text)};
}

}  // namespace

HttpServer::HttpServer(Handler handler, ServerLimits limits)
    : handler_(std::move(handler)), limits_(limits) {}

HttpServer::~HttpServer() {
  stop();
  if (listener_ >= 0) close(listener_);
}

int HttpServer::bind(const std::string& host, int port, int& error_number) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0) {
    error_number = EADDRNOTAVAIL;
    return -1;
  }
  error_number = 0;
  for (addrinfo* candidate = found; candidate != nullptr && listener_ < 0;
       candidate = candidate->ai_next) {
    int fd =
        socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol);
    if (fd < 0) {
      error_number = errno;
      continue;
    }
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, candidate->ai_addr, candidate->ai_addrlen) == 0 && listen(fd, 64) == 0) {
      listener_ = fd;
    } else {
      error_number = errno;
      close(fd);
    }
  }
  freeaddrinfo(found);
  if (listener_ < 0) return -1;
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  getsockname(listener_, reinterpret_cast<sockaddr*>(&bound), &length);
  char service_bound[16];
  getnameinfo(reinterpret_cast<sockaddr*>(&bound), length, nullptr, 0, service_bound,
              sizeof service_bound, NI_NUMERICSERV);
  return std::stoi(service_bound);
}

void HttpServer::start() {
  if (started_ || listener_ < 0) return;
  started_ = true;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, limits_.workers); ++i)
    workers_.emplace_back([this] { work(); });
  acceptor_ = std::thread([this] { accept_loop(); });
}

void HttpServer::stop() {
  if (!started_) return;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (int fd : serving_) shutdown(fd, SHUT_RDWR);
  }
  shutdown(listener_, SHUT_RDWR);  // wakes accept()
  wake_.notify_all();
  acceptor_.join();
  for (std::thread& worker : workers_) worker.join();
  for (int fd : waiting_) close(fd);
  waiting_.clear();
}

void HttpServer::accept_loop() {
  while (true) {
    int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    std::lock_guard lock(mutex_);
    if (stopping_) {
      if (fd >= 0) close(fd);
      return;
    }
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED || errno == EMFILE || errno == ENFILE) continue;
      return;
    }
    if (waiting_.size() >= kQueueLimit) {
      close(fd);
      continue;
    }
    waiting_.push_back(fd);
    wake_.notify_one();
  }
}

void HttpServer::work() {
  while (true) {
    int fd;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (stopping_) return;
      fd = waiting_.front();
      waiting_.pop_front();
      serving_.insert(fd);
    }
    serve(fd);
    std::lock_guard lock(mutex_);
    serving_.erase(fd);
    close(fd);
  }
}

/// Requests on one connection, one after another, until the client or a limit ends it.
void HttpServer::serve(int fd) {
  std::string pending;  // bytes already read past the previous request
  for (std::size_t served = 0; served < limits_.keep_alive_max; ++served) {
    RequestParser parser(limits_.max_body);
    RequestParser::Step step =
        pending.empty() ? RequestParser::Step::kNeedMore : parser.feed(pending);
    // An idle connection waits keep_alive_timeout for a request; once one has begun, all of
    // it must come within read_timeout (a client sending a byte at a time gains nothing).
    bool began = !pending.empty();
    Clock::time_point deadline =
        Clock::now() + (began ? limits_.read_timeout : limits_.keep_alive_timeout);
    char buffer[4096];
    while (step == RequestParser::Step::kNeedMore) {
      if (!wait_for(fd, POLLIN, deadline)) return;  // idle or too slow: close
      ssize_t count = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (count < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (count <= 0) return;
      if (!began) {
        began = true;
        deadline = Clock::now() + limits_.read_timeout;
      }
      step = parser.feed(std::string_view(buffer, static_cast<std::size_t>(count)));
    }
    std::optional<ServerResponse> refusal;
    if (step == RequestParser::Step::kMalformed)
      refusal = plain(400, "bad request: " + parser.error() + "\n");
    if (step == RequestParser::Step::kTooLarge) refusal = plain(413, "request too large\n");
    const Request& request = parser.request();
    bool keep_alive = !refusal && request.keep_alive && served + 1 < limits_.keep_alive_max;
    ServerResponse response = refusal ? *refusal : handler_(request);
    std::string bytes = response_bytes(response.status, response.headers, response.body,
                                       !refusal && request.method == "HEAD", keep_alive);
    if (!send_all(fd, bytes, Clock::now() + limits_.write_timeout) || !keep_alive) return;
    pending = parser.leftover();
  }
}

}  // namespace run::net
