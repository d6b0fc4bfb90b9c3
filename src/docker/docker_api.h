#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace run::docker {

struct DockerResponse {
  long status = 0;
  std::string body;
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
