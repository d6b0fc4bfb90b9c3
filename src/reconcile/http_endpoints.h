#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "reconcile/loop_status.h"

namespace run::reconcile {

/// What the endpoints serve, read on each request (never blocking on the loop: the
/// StatusBoard and Metrics take their own short locks).
struct EndpointSources {
  std::function<LoopStatus()> status;
  std::function<std::string()> metrics_text;
  std::function<double()> now_unix;
};

/// The loop's HTTP server (net::HttpServer): GET /healthz (200 "ok": the process is alive),
/// /readyz (200 or 503, with readiness()'s reason as text), /metrics (Prometheus text,
/// Content-Type text/plain; version=0.0.4), / (the status page); anything else 404, any
/// method but GET/HEAD 405. Idle and slow clients hold no worker (a request is answered once
/// it has arrived whole), a request must arrive within one deadline from its first byte, and
/// open connections are capped, the idlest closed first: they cannot block the loop or each
/// other.
class HttpEndpoints {
 public:
  HttpEndpoints();
  ~HttpEndpoints();  ///< stops the server and joins its thread
  HttpEndpoints(const HttpEndpoints&) = delete;
  HttpEndpoints& operator=(const HttpEndpoints&) = delete;

  /// Binds `listen` ("127.0.0.1:9464", "[::1]:9464", ":9464" = 127.0.0.1; port 0 picks a
  /// free one) and serves on a thread of its own. Errors: a malformed address (what is
  /// expected), or a port that cannot be bound (in use, no permission).
  Status start(const std::string& listen, EndpointSources sources);
  /// The address actually bound, e.g. "127.0.0.1:9464" (after start).
  std::string bound_address() const;
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace run::reconcile
