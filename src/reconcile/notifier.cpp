#include "reconcile/notifier.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/json_text.h"
#include "core/log_context.h"
#include "net/http_client.h"
#include "net/url.h"

namespace run::reconcile {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kQueueLimit = 100;
constexpr milliseconds kConnectTimeout{3000};
constexpr milliseconds kRequestTimeout{10000};
/// How long the destructor lets the queue drain, the request in flight included.
constexpr milliseconds kDrainLimit{10000};

// ---- the body ------------------------------------------------------------------------------

/// A JSON string, valid whatever bytes the text holds (a Docker error may carry anything).
std::string json_string(std::string_view text) { return json_quote(valid_utf8(text)); }

std::string json_string_or_null(std::string_view text) {
  return text.empty() ? "null" : json_string(text);
}

std::string actions_json(const std::map<std::string, int>& actions) {
  std::string json = "{";
  for (const auto& [kind, count] : actions) {
    if (json.size() > 1) json += ",";
    json += json_string(kind) + ":" + std::to_string(count);
  }
  return json + "}";
}

std::string drift_json(const std::vector<std::string>& lines) {
  std::string json = "[";
  for (const std::string& line : lines) {
    if (json.size() > 1) json += ",";
    json += json_string(line);
  }
  return json + "]";
}

// ---- the URL, as logs may show it ----------------------------------------------------------

/// A webhook URL split into what a log may show (scheme://host[:port]/path) and what it must
/// not (user:password@, ?query, #fragment): these are where receivers put their tokens.
struct UrlForLogs {
  std::string shown;
  std::vector<std::string> hidden;
};

UrlForLogs split_for_logs(std::string_view url) {
  UrlForLogs parts;
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {"(a URL with no scheme)", {std::string(url)}};
  std::string_view rest = url.substr(scheme_end + 3);
  std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos) {
    parts.hidden.emplace_back(authority.substr(0, at));
    authority.remove_prefix(at + 1);
  }
  std::string_view after = rest.substr(authority_end);
  std::size_t path_end = std::min(after.find_first_of("?#"), after.size());
  if (path_end + 1 < after.size()) parts.hidden.emplace_back(after.substr(path_end + 1));
  parts.shown = std::string(url.substr(0, scheme_end + 3)) + std::string(authority) +
                std::string(after.substr(0, path_end));
  return parts;
}

/// The failure's detail when it shows none of the hidden parts of the URL, else a generic one.
std::string failure_reason(const net::NetError& error, const UrlForLogs& url) {
  for (const std::string& hidden : url.hidden)
    if (!hidden.empty() && error.detail.find(hidden) != std::string::npos)
      return "the request failed";
  return error.detail;
}

// ---- sending -------------------------------------------------------------------------------

/// When the destructor gives up on what is queued: steady-clock ticks, 0 while running.
using Deadline = std::atomic<Clock::rep>;

bool past(const Deadline& deadline) {
  Clock::rep at = deadline.load();
  return at != 0 && Clock::now().time_since_epoch().count() >= at;
}

/// The request's timeout: its own limit, cut to what is left before the deadline.
milliseconds timeout_within(milliseconds limit, const Deadline& deadline) {
  Clock::rep at = deadline.load();
  if (at == 0) return limit;
  auto left = std::chrono::duration_cast<milliseconds>(Clock::duration(at) -
                                                       Clock::now().time_since_epoch());
  return std::clamp(left, milliseconds(1), limit);
}

/// The receiver of one webhook URL: its parts and a client that keeps its connection alive.
struct Receiver {
  net::Url url;
  net::HttpClient client;

  explicit Receiver(net::Url parsed)
      : url(std::move(parsed)),
        client(net::Address::tcp(url.host, url.port,
                                 url.https ? std::optional(net::TlsSettings{}) : std::nullopt),
               kConnectTimeout) {}
};

/// POSTs `body` once. Returns why it failed, or an empty string when the receiver took it (2xx).
std::string post_once(Receiver& receiver, const UrlForLogs& shown, const std::string& body,
                      const Deadline& deadline) {
  net::HttpRequest request{"POST",
                           receiver.url.target,
                           {{"Content-Type", "application/json"}, {"User-Agent", "run"}},
                           body};
  if (!receiver.url.userinfo.empty())
    request.headers.push_back({"Authorization", "Basic " + net::base64(receiver.url.userinfo)});
  milliseconds timeout = timeout_within(kRequestTimeout, deadline);
  std::variant<net::HttpAnswer, net::NetError> outcome = receiver.client.exchange(request, timeout);
  if (auto* error = std::get_if<net::NetError>(&outcome)) {
    if (error->kind == net::NetError::Kind::kTimeout)
      return "no answer within " + std::to_string(timeout.count()) + " ms";
    return failure_reason(*error, shown);
  }
  int status = std::get<net::HttpAnswer>(outcome).head.status;
  if (status < 200 || status > 299) return "the receiver answered HTTP " + std::to_string(status);
  return {};
}

}  // namespace

std::string_view to_string(NotifyKind kind) {
  switch (kind) {
    case NotifyKind::kApplySucceeded:
      return "apply_succeeded";
    case NotifyKind::kApplyFailed:
      return "apply_failed";
    case NotifyKind::kDriftDetected:
      return "drift_detected";
  }
  return "apply_failed";
}

std::string notification_json(const NotifyEvent& event) {
  const TickReport& tick = event.tick;
  std::string record = tick.record_number ? std::to_string(*tick.record_number) : "null";
  return "{\"event\":" + json_string(to_string(event.kind)) +
         ",\"project\":" + json_string(event.project) +
         ",\"environment\":" + json_string(event.environment) +
         ",\"time\":" + json_string(tick.finished_at) + ",\"run_id\":" + json_string(event.run_id) +
         ",\"reconcile_id\":" + json_string(event.reconcile_id) +
         ",\"commit\":" + json_string_or_null(tick.commit) + ",\"record\":" + record +
         ",\"summary\":" + json_string(tick.plan_summary) +
         ",\"actions\":" + actions_json(tick.actions_done) +
         ",\"drift\":" + drift_json(tick.drift) + ",\"error\":" + json_string_or_null(tick.error) +
         "}";
}

struct WebhookNotifier::Impl {
  std::optional<Receiver> receiver;  ///< nullopt when the URL is not http(s)
  UrlForLogs url_for_logs;
  std::mutex mutex;
  std::condition_variable wake;
  std::deque<std::string> bodies;  ///< waiting to be sent, oldest first
  bool stopping = false;
  Deadline give_up_at{0};
  std::thread worker;

  void warn(std::string_view reason) const {
    spdlog::warn("webhook {}: {}", url_for_logs.shown, reason);
  }

  /// The next body to send, or nullopt when the worker is done (stopping with an empty queue,
  /// or past the drain limit, when what is left is dropped).
  std::optional<std::string> next_body() {
    std::unique_lock lock(mutex);
    wake.wait(lock, [&] { return stopping || !bodies.empty(); });
    if (bodies.empty()) return std::nullopt;
    if (past(give_up_at)) {
      warn("run is stopping: " + std::to_string(bodies.size()) + " notification(s) not sent");
      bodies.clear();
      return std::nullopt;
    }
    std::string body = std::move(bodies.front());
    bodies.pop_front();
    return body;
  }

  void run() {
    while (std::optional<std::string> body = next_body()) {
      std::string failure = receiver ? post_once(*receiver, url_for_logs, *body, give_up_at)
                                     : "not an http:// or https:// URL";
      if (!failure.empty()) warn(failure);
    }
  }
};

WebhookNotifier::WebhookNotifier(std::string url) : impl_(std::make_unique<Impl>()) {
  impl_->url_for_logs = split_for_logs(url);
  if (std::optional<net::Url> parsed = net::parse_url(url))
    impl_->receiver.emplace(std::move(*parsed));
  impl_->worker = std::thread([impl = impl_.get()] { impl->run(); });
}

WebhookNotifier::~WebhookNotifier() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    impl_->give_up_at = (Clock::now() + kDrainLimit).time_since_epoch().count();
  }
  impl_->wake.notify_all();
  impl_->worker.join();
}

void WebhookNotifier::post(NotifyEvent event) {
  std::string body = notification_json(event);
  bool dropped = false;
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->bodies.size() >= kQueueLimit) {
      impl_->bodies.pop_front();
      dropped = true;
    }
    impl_->bodies.push_back(std::move(body));
  }
  impl_->wake.notify_one();
  if (dropped)
    impl_->warn(std::to_string(kQueueLimit) + " notifications are waiting: the oldest was dropped");
}

}  // namespace run::reconcile
