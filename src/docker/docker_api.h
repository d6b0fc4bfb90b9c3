#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "docker/attached_stream.h"

namespace run::docker {

struct DockerResponse {
  long status = 0;
  std::string body;
};

/// Produces a request body piece by piece: calls `write` with each piece, and returns false to
/// abort, as it must when `write` returned false (the daemon went away, or the caller stopped).
/// The same type as net::BodyWriter, kept apart so this header needs nothing of net.
using BodyWriter = std::function<bool(const std::function<bool(std::string_view)>& write)>;

/// A POST whose body is streamed rather than held: a build context may be hundreds of MiB.
struct StreamedPost {
  std::string path;          ///< without the version prefix: "/build?t=app%3A1"
  std::string content_type;  ///< "application/x-tar"
  std::vector<std::pair<std::string, std::string>> headers;  ///< more: X-Registry-Config, ...
  BodyWriter body;
};

/// The one seam between run and the Docker Engine API: a real implementation over HTTP/1.1
/// (HttpDockerApi) and fakes in the tests. Paths are API paths without the version prefix
/// ("/containers/json?all=1"); the implementation adds the negotiated version. Requests may
/// come from several threads at once.
class DockerApi {
 public:
  virtual ~DockerApi() = default;

  /// Sends one request. An error only when no answer came: unreachable, refused, timed out
  /// (after `timeout`; zero means the default), or not HTTP. Any HTTP status is an answer;
  /// see expect_success.
  virtual Result<DockerResponse> request(std::string_view method, const std::string& path,
                                         const std::string& body = {},
                                         std::chrono::milliseconds timeout = {}) = 0;

  /// Sends `post` and passes each line of a 2xx answer (JSON lines, without their line ends)
  /// to `on_line` as it arrives, with no total timeout, until the daemon ends it. The status
  /// of that answer; an error when no answer came, the daemon refused the request (non-2xx:
  /// Docker's message, as expect_success words it), the body's writer gave up, the stream
  /// broke, or `stop` was set (checked at each piece of the body, then at least once a second),
  /// which closes the connection: how the daemon learns to cancel what the request started.
  virtual Result<long> post_streamed(const StreamedPost& post,
                                     const std::function<void(std::string_view line)>& on_line,
                                     const std::atomic<bool>& stop) = 0;

  /// Sends a GET whose answer is a stream (a container's logs) and passes each piece of a 2xx
  /// answer's body to `on_bytes` as raw bytes as it arrives, with no total timeout, until the
  /// daemon ends it or `stop` is set (checked after each piece, and at least once a second),
  /// which closes the connection. Ok then; an error when no answer came, the daemon refused
  /// the request (non-2xx: Docker's message, as expect_success words it), or the stream broke.
  virtual Status get_streamed(const std::string& path,
                              const std::function<void(std::string_view bytes)>& on_bytes,
                              const std::atomic<bool>& stop) = 0;

  /// Sends a POST with a small JSON `body` whose answer is a stream (an exec's attached
  /// output) and passes each piece of a 2xx answer's body to `on_bytes` as raw bytes, as
  /// `get_streamed` does, until the daemon ends it or `stop` is set. Ok then; an error when no
  /// answer came, the daemon refused the request (Docker's message), or the stream broke.
  virtual Status post_attached(const std::string& path, const std::string& body,
                               const std::function<void(std::string_view bytes)>& on_bytes,
                               const std::atomic<bool>& stop) = 0;

  /// Sends a POST with a small JSON `body` that asks Docker to take the connection over (an
  /// exec's start with stdin attached), and hands the connection back once Docker did (101,
  /// or 200 from an older daemon). An error when no answer came within the request timeout,
  /// or the daemon refused (Docker's message, as expect_success words it).
  virtual Result<std::unique_ptr<AttachedStream>> post_hijacked(const std::string& path,
                                                                const std::string& body) = 0;

  /// Where the daemon is, for messages: "unix:///var/run/docker.sock" or "tcp://host:2376".
  virtual std::string endpoint() const = 0;
};

/// The body of a 2xx answer; otherwise an error that carries Docker's own "message" and
/// names the request and the daemon.
Result<std::string> expect_success(const Result<DockerResponse>& response, std::string_view method,
                                   const std::string& path, const DockerApi& api);

/// `text` percent-encoded for a URL query value.
std::string url_encode(std::string_view text);

/// A `filters` query value: {"KEY":["V1","V2"],...} percent-encoded.
std::string filters_query(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& filters);

/// The first "error" of a JSON-lines progress stream (image pull, build): the daemon answers
/// 200 and reports a failure inside the stream. Empty when there is none.
std::string stream_error(std::string_view body);

}  // namespace run::docker
