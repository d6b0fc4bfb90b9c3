#include "net/connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "net/command_stream.h"

namespace run::net {

int poll_until(int fd, short events, Clock::time_point deadline) {
  pollfd watched{fd, events, 0};
  int ready;
  do {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
    ready = poll(&watched, 1, left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30)));
  } while (ready < 0 && errno == EINTR);
  return ready;
}

namespace {

NetError error_of(NetError::Kind kind, std::string detail) { return {kind, std::move(detail)}; }

std::string system_error(int number) { return std::strerror(number); }

/// OpenSSL's reason for the last failure, or `fallback` when its queue is empty.
std::string openssl_error(std::string fallback) {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return fallback;
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

/// Waits for a non-blocking connect to finish; the socket's own error when it failed.
bool finish_connect(int fd, Clock::time_point deadline, NetError& error) {
  int ready = poll_until(fd, POLLOUT, deadline);
  if (ready == 0) {
    error = error_of(NetError::Kind::kConnect, "connecting timed out");
    return false;
  }
  int failure = 0;
  socklen_t length = sizeof failure;
  if (ready < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) != 0) failure = errno;
  if (failure != 0) {
    error = error_of(NetError::Kind::kConnect, system_error(failure));
    return false;
  }
  return true;
}

/// A connected non-blocking socket to `address`, or -1 with `error` set.
int connect_socket(int family, const sockaddr* target, socklen_t length, Clock::time_point deadline,
                   NetError& error) {
  int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if (fd < 0) {
    error = error_of(NetError::Kind::kConnect, system_error(errno));
    return -1;
  }
  if (connect(fd, target, length) == 0) return fd;
  if (errno == EINPROGRESS || errno == EAGAIN) {
    if (finish_connect(fd, deadline, error)) return fd;
  } else {
    error = error_of(NetError::Kind::kConnect, system_error(errno));
  }
  close(fd);
  return -1;
}

int connect_unix(const std::string& path, Clock::time_point deadline, NetError& error) {
  sockaddr_un target{};
  target.sun_family = AF_UNIX;
  if (path.size() >= sizeof target.sun_path) {
    error = error_of(NetError::Kind::kConnect, "the socket path is too long");
    return -1;
  }
  std::memcpy(target.sun_path, path.c_str(), path.size() + 1);
  return connect_socket(AF_UNIX, reinterpret_cast<const sockaddr*>(&target), sizeof target,
                        deadline, error);
}

/// Tries each address the name resolves to, in order.
int connect_tcp(const std::string& host, const std::string& port, Clock::time_point deadline,
                NetError& error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int failure = getaddrinfo(host.c_str(), port.c_str(), &hints, &found); failure != 0) {
    error =
        error_of(NetError::Kind::kConnect, "cannot resolve " + host + ": " + gai_strerror(failure));
    return -1;
  }
  int fd = -1;
  for (addrinfo* candidate = found; candidate != nullptr && fd < 0; candidate = candidate->ai_next)
    fd = connect_socket(candidate->ai_family, candidate->ai_addr, candidate->ai_addrlen, deadline,
                        error);
  freeaddrinfo(found);
  return fd;
}

bool is_ip_address(const std::string& host) {
  unsigned char bytes[16];
  return inet_pton(AF_INET, host.c_str(), bytes) == 1 ||
         inet_pton(AF_INET6, host.c_str(), bytes) == 1;
}

}  // namespace

struct Connection::Tls {
  SSL_CTX* context = nullptr;
  SSL* session = nullptr;
  ~Tls() {
    if (session != nullptr) SSL_free(session);
    if (context != nullptr) SSL_CTX_free(context);
  }
};

namespace {

/// A client session for `host` with what `settings` names: the peer is always verified, by
/// name or by IP address.
bool prepare_tls(Connection::Tls& tls, int fd, const std::string& host, const TlsSettings& settings,
                 NetError& error);

}  // namespace

Connection::Connection(int fd, std::unique_ptr<Tls> tls, std::unique_ptr<CommandStream> command)
    : fd_(fd), tls_(std::move(tls)), command_(std::move(command)) {}

Connection::~Connection() {
  tls_.reset();
  close(fd_);
  command_.reset();  // after the close: the command reads the end of its input as it is stopped
}

std::string Connection::command_errors(Clock::time_point deadline) {
  return command_ ? command_->error_output(deadline) : std::string();
}

std::string Connection::command_name() const { return command_ ? command_->name() : ""; }

std::unique_ptr<Connection> Connection::open(const Address& address, Clock::time_point deadline,
                                             NetError& error) {
  if (address.kind == Address::Kind::kCommand) {
    int fd = -1;
    std::unique_ptr<CommandStream> command = CommandStream::start(address.command, fd, error);
    if (!command) return nullptr;
    return std::unique_ptr<Connection>(new Connection(fd, nullptr, std::move(command)));
  }
  int fd = address.kind == Address::Kind::kUnix
               ? connect_unix(address.path, deadline, error)
               : connect_tcp(address.host, address.port, deadline, error);
  if (fd < 0) return nullptr;
  if (!address.tls) return std::unique_ptr<Connection>(new Connection(fd, nullptr));
  auto tls = std::make_unique<Tls>();
  if (!prepare_tls(*tls, fd, address.host, *address.tls, error)) {
    close(fd);
    return nullptr;
  }
  std::unique_ptr<Connection> connection(new Connection(fd, std::move(tls)));
  if (!connection->shake_hands(deadline, error)) return nullptr;
  return connection;
}

bool Connection::wait_for(short events, Clock::time_point deadline, NetError& error) const {
  int ready = poll_until(fd_, events, deadline);
  if (ready > 0) return true;
  error = ready == 0 ? error_of(NetError::Kind::kTimeout, "timed out")
                     : error_of(NetError::Kind::kBroken, system_error(errno));
  return false;
}

namespace {

/// After an SSL_* call returned `result`: whether to wait for the socket (and for what).
enum class TlsNext { kWaitRead, kWaitWrite, kClosed, kFailed };

TlsNext tls_next(SSL* session, int result) {
  switch (SSL_get_error(session, result)) {
    case SSL_ERROR_WANT_READ:
      return TlsNext::kWaitRead;
    case SSL_ERROR_WANT_WRITE:
      return TlsNext::kWaitWrite;
    case SSL_ERROR_ZERO_RETURN:
      return TlsNext::kClosed;
    default:
      return TlsNext::kFailed;
  }
}

bool prepare_tls(Connection::Tls& tls, int fd, const std::string& host, const TlsSettings& settings,
                 NetError& error) {
  auto fail = [&](std::string what) {
    error = error_of(NetError::Kind::kConnect, what + ": " + openssl_error("failed"));
    return false;
  };
  tls.context = SSL_CTX_new(TLS_client_method());
  if (tls.context == nullptr) return fail("cannot start OpenSSL");
  SSL_CTX_set_verify(tls.context, SSL_VERIFY_PEER, nullptr);
  SSL_CTX_set_options(tls.context, SSL_OP_IGNORE_UNEXPECTED_EOF);
  bool trusted =
      settings.ca_file.empty()
          ? SSL_CTX_set_default_verify_paths(tls.context) == 1
          : SSL_CTX_load_verify_locations(tls.context, settings.ca_file.c_str(), nullptr) == 1;
  if (!trusted) return fail("cannot read the CA certificates " + settings.ca_file);
  if (!settings.cert_file.empty() &&
      SSL_CTX_use_certificate_chain_file(tls.context, settings.cert_file.c_str()) != 1)
    return fail("cannot read the client certificate " + settings.cert_file);
  if (!settings.key_file.empty() &&
      SSL_CTX_use_PrivateKey_file(tls.context, settings.key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    return fail("cannot read the client key " + settings.key_file);
  tls.session = SSL_new(tls.context);
  if (tls.session == nullptr || SSL_set_fd(tls.session, fd) != 1)
    return fail("cannot start a TLS session");
  bool checked = is_ip_address(host)
                     ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(tls.session), host.c_str()) == 1
                     : SSL_set_tlsext_host_name(tls.session, host.c_str()) == 1 &&
                           SSL_set1_host(tls.session, host.c_str()) == 1;
  if (!checked) return fail("cannot check the server's name " + host);
  return true;
}

}  // namespace

bool Connection::shake_hands(Clock::time_point deadline, NetError& error) {
  while (true) {
    int result = SSL_connect(tls_->session);
    if (result == 1) return true;
    TlsNext next = tls_next(tls_->session, result);
    if (next == TlsNext::kWaitRead || next == TlsNext::kWaitWrite) {
      if (!wait_for(next == TlsNext::kWaitRead ? POLLIN : POLLOUT, deadline, error)) {
        if (error.kind == NetError::Kind::kTimeout) error.detail = "the TLS handshake timed out";
        return false;
      }
      continue;
    }
    long verified = SSL_get_verify_result(tls_->session);
    error = error_of(
        NetError::Kind::kConnect,
        verified != X509_V_OK
            ? std::string("the server's certificate: ") + X509_verify_cert_error_string(verified)
            : "TLS handshake: " + openssl_error("the server closed the connection"));
    return false;
  }
}

bool Connection::send_all(std::string_view bytes, Clock::time_point deadline, NetError& error) {
  while (!bytes.empty()) {
    long sent;
    short wait = POLLOUT;
    if (tls_) {
      int result = SSL_write(tls_->session, bytes.data(),
                             static_cast<int>(std::min<std::size_t>(bytes.size(), 1 << 30)));
      sent = result;
      if (result <= 0) {
        TlsNext next = tls_next(tls_->session, result);
        if (next != TlsNext::kWaitRead && next != TlsNext::kWaitWrite) {
          error = error_of(NetError::Kind::kBroken, openssl_error("the connection closed"));
          return false;
        }
        wait = next == TlsNext::kWaitRead ? POLLIN : POLLOUT;
      }
    } else {
      sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent < 0 && errno != EAGAIN && errno != EINTR) {
        error = error_of(NetError::Kind::kBroken, system_error(errno));
        return false;
      }
    }
    if (sent > 0) {
      bytes.remove_prefix(static_cast<std::size_t>(sent));
      sent_count_ += static_cast<std::size_t>(sent);
      continue;
    }
    if (!wait_for(wait, deadline, error)) return false;
  }
  return true;
}

std::optional<std::size_t> Connection::receive(char* buffer, std::size_t size,
                                               Clock::time_point deadline, NetError& error) {
  while (true) {
    short wait = POLLIN;
    if (tls_) {
      int result =
          SSL_read(tls_->session, buffer, static_cast<int>(std::min<std::size_t>(size, 1 << 30)));
      if (result > 0) return static_cast<std::size_t>(result);
      TlsNext next = tls_next(tls_->session, result);
      if (next == TlsNext::kClosed) return 0;
      if (next == TlsNext::kFailed) {
        // With SSL_OP_IGNORE_UNEXPECTED_EOF a close without close_notify reads as the end.
        if (ERR_peek_error() == 0) return 0;
        error = error_of(NetError::Kind::kBroken, openssl_error("the connection broke"));
        return std::nullopt;
      }
      wait = next == TlsNext::kWaitRead ? POLLIN : POLLOUT;
    } else {
      long received = recv(fd_, buffer, size, 0);
      if (received >= 0) return static_cast<std::size_t>(received);
      if (errno != EAGAIN && errno != EINTR) {
        error = error_of(NetError::Kind::kBroken, system_error(errno));
        return std::nullopt;
      }
    }
    if (!wait_for(wait, deadline, error)) return std::nullopt;
  }
}

bool Connection::wait_readable(Clock::time_point deadline, NetError& error) const {
  return wait_for(POLLIN, deadline, error);
}

bool Connection::quiet() const {
  // TLS buffers nothing between answers: a record waiting in OpenSSL is news too.
  if (tls_ && SSL_pending(tls_->session) > 0) return false;
  pollfd watched{fd_, POLLIN, 0};
  return poll(&watched, 1, 0) == 0;
}

void Connection::shutdown_write() {
  // TLS's own end of the stream first, so the server does not read the close as a truncation.
  if (tls_) SSL_shutdown(tls_->session);
  shutdown(fd_, SHUT_WR);
}

}  // namespace run::net
