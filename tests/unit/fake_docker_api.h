#pragma once

// A DockerApi that answers from a table and records every request: for observe without a
// daemon, and to prove which methods a path sends.

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "docker/docker_api.h"

namespace run::test {

class FakeDockerApi final : public docker::DockerApi {
 public:
  struct Recorded {
    std::string method;
    std::string path;
  };

  /// Answers requests whose path starts with `path_prefix` (the longest prefix wins).
  void answer(std::string path_prefix, long status, std::string body) {
    answers_[std::move(path_prefix)] = docker::DockerResponse{status, std::move(body)};
  }

  /// Answers requests to exactly `path` with `responses` in turn, the last one from then on.
  void answer_in_turn(std::string path, std::vector<docker::DockerResponse> responses) {
    in_turn_[std::move(path)] = std::move(responses);
  }

  Result<docker::DockerResponse> request(std::string_view method, const std::string& path,
                                         const std::string& /*body*/,
                                         std::chrono::milliseconds /*timeout*/) override {
    std::lock_guard lock(mutex_);  // observe sends from several threads
    recorded_.push_back({std::string(method), path});
    if (auto turn = in_turn_.find(path); turn != in_turn_.end()) {
      docker::DockerResponse next = turn->second.front();
      if (turn->second.size() > 1) turn->second.erase(turn->second.begin());
      return next;
    }
    const docker::DockerResponse* best = nullptr;
    std::size_t best_length = 0;
    for (const auto& [prefix, response] : answers_) {
      if (path.starts_with(prefix) && prefix.size() >= best_length) {
        best = &response;
        best_length = prefix.size();
      }
    }
    if (best == nullptr) return docker::DockerResponse{404, R"({"message": "no such thing"})"};
    return *best;
  }

  std::string endpoint() const override { return "unix:///fake.sock"; }
  const std::vector<Recorded>& recorded() const { return recorded_; }

 private:
  std::map<std::string, docker::DockerResponse> answers_;
  std::map<std::string, std::vector<docker::DockerResponse>> in_turn_;
  std::vector<Recorded> recorded_;
  std::mutex mutex_;
};

}  // namespace run::test
