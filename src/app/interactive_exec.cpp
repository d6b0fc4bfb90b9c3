#include "app/interactive_exec.h"

#include <thread>

#include "app/swarm_refusal.h"

namespace run::app {

namespace {

/// How long one wait for input or output lasts: how soon a stop, a resize or the end of the
/// other direction is seen. Bytes themselves pass as soon as they come.
constexpr std::chrono::milliseconds kPollInterval{100};

/// Passes the console's input to the command until it ends (then closes the command's stdin),
/// a send fails (the stream is gone: the output side reports it), or `done` is set.
void pass_input(docker::ExecSession& session, ExecConsole& console, const std::atomic<bool>& done) {
  while (!done.load()) {
    std::optional<std::string> input = console.read_input(kPollInterval);
    if (!input) {
      session.close_input();
      return;
    }
    if (!input->empty() && !session.send_input(*input)) return;
  }
}

/// Passes the command's output (and each resize) until the output ends or `stop` is set.
Status pass_output(docker::ExecSession& session, ExecConsole& console,
                   const std::atomic<bool>& stop) {
  auto on_output = [&console](docker::LogStream stream, std::string_view bytes) {
    console.write_output(stream, bytes);
  };
  while (!stop.load()) {
    if (std::optional<docker::TerminalSize> size = console.take_resize()) {
      // A TTY that keeps its old size is no reason to end the session.
      (void)session.resize(*size);
    }
    Result<docker::StreamState> state = session.receive_output(on_output, kPollInterval);
    if (!state) return state.errors();
    if (*state == docker::StreamState::kEnded) return ok_status();
  }
  return ok_status();
}

/// Joins the input thread however pass_output returns.
class InputPump {
 public:
  InputPump(docker::ExecSession& session, ExecConsole& console, docker::ExecInput input) {
    if (input == docker::ExecInput::kAttached)
      thread_ = std::thread(pass_input, std::ref(session), std::ref(console), std::cref(done_));
  }
  ~InputPump() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }
  InputPump(const InputPump&) = delete;
  InputPump& operator=(const InputPump&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace

Result<int> pump_exec_session(docker::ExecSession& session, ExecConsole& console,
                              docker::ExecInput input, const std::atomic<bool>& stop) {
  Status passed = ok_status();
  {
    InputPump input_pump(session, console, input);
    passed = pass_output(session, console, stop);
  }
  if (stop.load()) return docker::kInterruptedExitCode;
  if (!passed) return passed.errors();
  return session.exit_code();
}

Result<int> exec_interactive_in_service(Engine& engine, const model::DesiredState& desired,
                                        const ExecRequest& request,
                                        const ExecAttachment& attachment, ExecConsole& console,
                                        const std::atomic<bool>& stop) {
  if (Status local = refuse_on_swarm(desired, "exec",
                                     "'docker exec -it' on the node that runs the task ('docker "
                                     "service ps PROJECT-ENV-SERVICE' names it)");
      !local)
    return local.errors();
  Result<model::ObservedState> observed = engine.observe(desired);
  if (!observed) return observed.errors();
  Result<ExecTarget> target = choose_exec_target(desired, *observed, request);
  if (!target) return target.errors();
  docker::ExecSessionSpec spec{request.command, attachment.input, attachment.tty, attachment.size};
  Result<std::unique_ptr<docker::ExecSession>> session =
      engine.start_exec_session(target->container_id, spec);
  if (!session) return session.errors();
  return pump_exec_session(**session, console, attachment.input, stop);
}

}  // namespace run::app
