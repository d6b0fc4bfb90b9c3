#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <thread>

#include "docker/http_docker_api.h"

namespace run::reconcile {

/// Follows the daemon's events for the containers of one project and environment (their
/// run.* labels) and reports each die, stop or destroy: a container that crashed, was
/// stopped or was removed by hand. A stream that breaks (the daemon restarted) is opened
/// again after a pause; that is logged, never fatal: the loop's timer still runs.
class EventWatch {
 public:
  /// `on_event` gets "die tsp-dev-app-1" and is called on the watch's own thread.
  EventWatch(docker::DockerEndpoint endpoint, const std::string& project,
             const std::string& environment, std::function<void(const std::string&)> on_event);
  ~EventWatch();  ///< stops the stream (within about a second) and joins
  EventWatch(const EventWatch&) = delete;
  EventWatch& operator=(const EventWatch&) = delete;

 private:
  void follow();

  docker::HttpDockerApi docker_;
  std::string path_;
  std::function<void(const std::string&)> on_event_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

/// "die tsp-dev-app-1" from one line of /events (JSON); empty when the line is not a
/// container event.
std::string describe_event(std::string_view line);

}  // namespace run::reconcile
