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

  Result<docker::DockerResponse> request(std::string_view method, const std::string& path, const std::string& /*body*/,
                                         std::chrono::milliseconds /*timeout*/) override {
    std::lock_guard lock(mutex_);  // observe sends from several threads
    recorded_.push_back({std::string(method), path});
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
  std::vector<Recorded> recorded_;
  std::mutex mutex_;
};

}  // namespace run::test
