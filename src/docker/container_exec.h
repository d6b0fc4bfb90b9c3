#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "docker/docker_api.h"
#include "docker/log_stream.h"

namespace run::docker {

/// Takes a process's output as it comes: the bytes exactly as written, of one stream.
using OutputSink = std::function<void(LogStream stream, std::string_view bytes)>;

/// The exit code an exec reports when `stop` cut it short: the shell's for SIGINT.
inline constexpr int kInterruptedExitCode = 130;

/// The body of POST /containers/{id}/exec: stdout and stderr attached, no stdin, no TTY.
std::string exec_create_body(const std::vector<std::string>& command);

/// Creates an exec in a running container from `body` (a POST /containers/{id}/exec body): its
/// id. Errors: Docker's (no such container, not running), an answer without an Id.
Result<std::string> create_exec(DockerApi& api, const std::string& container_id,
                                const std::string& body);

/// The exit code of an exec whose stream ended, waiting a few seconds for Docker to record it.
Result<int> exec_exit_code(DockerApi& api, const std::string& container_id,
                           const std::string& exec_id);

/// Runs `command` in a running container as `docker exec` without -it does: creates the exec,
/// starts it attached, passes its output to `on_output` byte for byte until it ends, then
/// asks for its exit code. When `stop` is set the stream is closed (the command is left to
/// finish in the container) and kInterruptedExitCode is returned. Errors: Docker's (no such
/// container, not running, no such executable), a malformed stream.
Result<int> exec_in_container(DockerApi& api, const std::string& container_id,
                              const std::vector<std::string>& command, const OutputSink& on_output,
                              const std::atomic<bool>& stop);

}  // namespace run::docker
