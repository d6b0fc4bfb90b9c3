#include "net/http_server.h"

#include <netdb.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <optional>

#include "net/connection.h"

namespace run::net {

namespace {

/// Events taken from epoll at once.
constexpr int kEventBatch = 64;
/// Out of file descriptors, accepting is retried after this (the listener stays readable:
/// retrying at once would spin).
constexpr std::chrono::milliseconds kAcceptPause{100};

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

/// The milliseconds epoll_wait may sleep until `deadline` (rounded up: never a busy wait).
int milliseconds_until(Clock::time_point deadline, Clock::time_point now) {
  if (deadline <= now) return 0;
  auto rest = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
  return static_cast<int>(std::min<long long>(rest.count(), 60'000));
}

void epoll_watch(int epoll, int fd, std::uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  epoll_ctl(epoll, EPOLL_CTL_ADD, fd, &event);
}

void epoll_change(int epoll, int fd, std::uint32_t events) {
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  epoll_ctl(epoll, EPOLL_CTL_MOD, fd, &event);
}

}  // namespace

HttpServer::HttpServer(Handler handler, ServerLimits limits)
    : handler_(std::move(handler)), limits_(limits) {}

HttpServer::~HttpServer() {
  stop();
  if (listener_ >= 0) close(listener_);
  if (epoll_ >= 0) close(epoll_);
  if (wake_fd_ >= 0) close(wake_fd_);
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
    int fd = socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                    candidate->ai_protocol);
    if (fd < 0) {
      error_number = errno;
      continue;
    }
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (::bind(fd, candidate->ai_addr, candidate->ai_addrlen) == 0 && listen(fd, SOMAXCONN) == 0) {
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
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  epoll_watch(epoll_, listener_, EPOLLIN);
  epoll_watch(epoll_, wake_fd_, EPOLLIN);
  started_ = true;
  for (std::size_t i = 0; i < std::max<std::size_t>(1, limits_.workers); ++i)
    workers_.emplace_back([this] { work(); });
  reader_ = std::thread([this] { read_loop(); });
}

void HttpServer::stop() {
  if (!started_) return;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (int fd : serving_) shutdown(fd, SHUT_RDWR);
  }
  wake_reader();
  wake_.notify_all();
  reader_.join();
  for (std::thread& worker : workers_) worker.join();
  reading_.clear();
  ready_.clear();
  answered_.clear();
}

// ---- the reader

void HttpServer::wake_reader() {
  std::uint64_t one = 1;
  // Only fails when the counter would overflow: the reader is then awake already.
  (void)!write(wake_fd_, &one, sizeof one);
}

void HttpServer::read_loop() {
  while (take_back_answered()) {
    wait_for_events(Clock::now());
    Clock::time_point now = Clock::now();
    close_expired(now);
    resume_accepting(now);
  }
}

/// Watches again the connections the workers answered; false once stopping.
bool HttpServer::take_back_answered() {
  std::vector<Owned> answered;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    answered.swap(answered_);
  }
  for (Owned& connection : answered) watch(std::move(connection));
  return true;
}

/// Sleeps until a socket is readable, a connection's deadline passes or a worker hands one
/// back, and serves the sockets that are readable.
void HttpServer::wait_for_events(Clock::time_point now) {
  Clock::time_point wake_at = now + std::chrono::seconds(60);
  for (const auto& [fd, connection] : reading_) wake_at = std::min(wake_at, connection->deadline());
  if (accept_paused_until_ != Clock::time_point{})
    wake_at = std::min(wake_at, accept_paused_until_);
  epoll_event events[kEventBatch];
  int count = epoll_wait(epoll_, events, kEventBatch, milliseconds_until(wake_at, now));
  now = Clock::now();
  for (int i = 0; i < count; ++i) {
    int fd = events[i].data.fd;
    if (fd == listener_) {
      accept_all(now);
    } else if (fd == wake_fd_) {
      std::uint64_t wakes;
      (void)!read(wake_fd_, &wakes, sizeof wakes);
    } else {
      read_from(fd, now);
    }
  }
}

void HttpServer::accept_all(Clock::time_point now) {
  while (true) {
    int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0 && (errno == EINTR || errno == ECONNABORTED)) continue;
    if (fd < 0 && (errno == EMFILE || errno == ENFILE)) {
      if (make_room()) continue;
      accept_paused_until_ = now + kAcceptPause;
      epoll_change(epoll_, listener_, 0);
      return;
    }
    if (fd < 0) return;  // EAGAIN: all accepted
    if (open_ >= limits_.max_connections && !make_room()) {
      close(fd);  // every connection is being answered: no room for one more
      continue;
    }
    ++open_;
    watch(std::make_unique<ServerConnection>(fd, limits_, now));
  }
}

/// Closes the connection idle the longest (else the one whose request began the longest ago);
/// false when the reader holds none.
bool HttpServer::make_room() {
  auto first = std::min_element(reading_.begin(), reading_.end(), [](auto& a, auto& b) {
    return closes_before(*a.second, *b.second);
  });
  if (first == reading_.end()) return false;
  drop(first->first);
  return true;
}

void HttpServer::read_from(int fd, Clock::time_point now) {
  auto found = reading_.find(fd);
  if (found == reading_.end()) return;
  char buffer[4096];
  ssize_t count = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
  if (count < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (count <= 0) return drop(fd);  // the client closed, or the connection failed
  std::string_view bytes(buffer, static_cast<std::size_t>(count));
  if (found->second->receive(bytes, now) != RequestParser::Step::kNeedMore) hand_to_worker(fd);
}

/// Reads the connection's next request, or hands it on if the request is already whole
/// (pipelined behind the last one).
void HttpServer::watch(Owned connection) {
  int fd = connection->fd();
  bool whole = connection->step() != RequestParser::Step::kNeedMore;
  reading_.emplace(fd, std::move(connection));
  epoll_watch(epoll_, fd, EPOLLIN | EPOLLRDHUP);
  if (whole) hand_to_worker(fd);
}

/// Stops reading the connection (nothing more until its answer is sent, which keeps the
/// answers in the order of the requests) and queues it for a worker.
void HttpServer::hand_to_worker(int fd) {
  auto found = reading_.find(fd);
  epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
  Owned connection = std::move(found->second);
  reading_.erase(found);
  std::lock_guard lock(mutex_);
  ready_.push_back(std::move(connection));
  wake_.notify_one();
}

void HttpServer::drop(int fd) {
  epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
  reading_.erase(fd);  // closes it
  --open_;
}

void HttpServer::close_expired(Clock::time_point now) {
  std::vector<int> expired;
  for (const auto& [fd, connection] : reading_)
    if (connection->deadline() <= now) expired.push_back(fd);
  for (int fd : expired) drop(fd);
}

void HttpServer::resume_accepting(Clock::time_point now) {
  if (accept_paused_until_ == Clock::time_point{} || now < accept_paused_until_) return;
  accept_paused_until_ = {};
  epoll_change(epoll_, listener_, EPOLLIN);
}

// ---- the workers

void HttpServer::work() {
  while (Owned connection = next_to_answer()) {
    if (answer(*connection)) {
      hand_back(std::move(connection));
      continue;
    }
    std::lock_guard lock(mutex_);
    serving_.erase(connection->fd());
    connection.reset();  // closes it
    --open_;
  }
}

/// The next connection whose request has arrived; null once stopping.
HttpServer::Owned HttpServer::next_to_answer() {
  std::unique_lock lock(mutex_);
  wake_.wait(lock, [this] { return stopping_ || !ready_.empty(); });
  if (stopping_) return nullptr;
  Owned connection = std::move(ready_.front());
  ready_.pop_front();
  serving_.insert(connection->fd());
  return connection;
}

/// Answers the request that has arrived; whether the connection stays open for another.
bool HttpServer::answer(ServerConnection& connection) {
  const RequestParser& parser = connection.parser();
  std::optional<ServerResponse> refusal;
  if (connection.step() == RequestParser::Step::kMalformed)
    refusal = plain(400, "bad request: " + parser.error() + "\n");
  if (connection.step() == RequestParser::Step::kTooLarge)
    refusal = plain(413, "request too large\n");
  const Request& request = parser.request();
  bool keep_alive = !refusal && request.keep_alive && connection.may_keep_alive();
  ServerResponse response = refusal ? *refusal : handler_(request);
  std::string bytes = response_bytes(response.status, response.headers, response.body,
                                     !refusal && request.method == "HEAD", keep_alive);
  return send_all(connection.fd(), bytes, Clock::now() + limits_.write_timeout) && keep_alive;
}

/// Gives the connection back to the reader for its next request.
void HttpServer::hand_back(Owned connection) {
  connection->next_request(Clock::now());
  std::lock_guard lock(mutex_);
  serving_.erase(connection->fd());
  if (stopping_) {
    connection.reset();
    --open_;
    return;
  }
  answered_.push_back(std::move(connection));
  wake_reader();
}

}  // namespace run::net
