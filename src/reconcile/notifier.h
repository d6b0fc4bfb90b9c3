#pragma once

#include <memory>
#include <string>

#include "reconcile/tick_report.h"

namespace run::reconcile {

/// What a webhook is told.
enum class NotifyKind { kApplySucceeded, kApplyFailed, kDriftDetected };
std::string_view to_string(
    NotifyKind kind);  ///< "apply_succeeded", "apply_failed", "drift_detected"

struct NotifyEvent {
  NotifyKind kind = NotifyKind::kApplySucceeded;
  std::string project;
  std::string environment;
  std::string run_id;        ///< the reconcile process
  std::string reconcile_id;  ///< the tick
  TickReport tick;
};

/// The POST body: one JSON object {"event", "project", "environment", "time", "run_id",
/// "reconcile_id", "commit", "record" (number or null), "summary", "actions" {kind: n},
/// "drift" [lines], "error" (string or null)}. Never a secret: only what TickReport holds.
std::string notification_json(const NotifyEvent& event);

/// Posts events to a webhook URL (net::HttpClient, http or https with the system's CAs;
/// connect timeout 3 s, total 10 s) from a thread of
/// its own, so a slow receiver never delays the loop. The queue is bounded (100 events; the
/// oldest is dropped, with a warning). A failure (unreachable, timeout, a non-2xx status) is
/// logged as a warning with the status and never retried or fatal. The destructor waits at
/// most ~10 s for the events already queued.
class WebhookNotifier {
 public:
  explicit WebhookNotifier(std::string url);
  ~WebhookNotifier();
  WebhookNotifier(const WebhookNotifier&) = delete;
  WebhookNotifier& operator=(const WebhookNotifier&) = delete;

  void post(NotifyEvent event);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace run::reconcile
