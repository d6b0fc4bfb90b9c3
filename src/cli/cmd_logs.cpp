// run logs: the logs of the chosen services' replicas, merged by time, or followed.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "app/container_logs.h"
#include "cli/command_table.h"
#include "cli/interrupts.h"
#include "cli/output.h"
#include "cli/workspace.h"
#include "core/json_text.h"
#include "core/utf8.h"
#include "render/color.h"

namespace run::cli {

namespace {

struct LogsFlags {
  std::vector<std::string> service_names;
  bool follow = false;
  std::string since;
  int tail = -1;  ///< -1: every line
  bool timestamps = false;
};

enum class ShowTime { kNo, kYes };
enum class LineFormat { kText, kJson };

/// `text` with each byte that is not part of valid UTF-8 replaced by U+FFFD: JSON is UTF-8.
std::string valid_utf8(std::string_view text) {
  std::string valid;
  while (std::optional<std::size_t> bad = first_invalid_utf8(text)) {
    valid.append(text.substr(0, *bad));
    valid.append("\xEF\xBF\xBD");
    text.remove_prefix(*bad + 1);
  }
  valid.append(text);
  return valid;
}

/// Renders lines as compose does ("web-1  | text", the prefix padded to the longest one and
/// coloured per service), or as one JSON object per line.
class LineView {
 public:
  LineView(LineFormat format, render::Color color, ShowTime time,
           const model::DesiredState& desired)
      : format_(format), color_(color), time_(time) {
    for (const model::ServiceSpec& spec : desired.services) service_names_.push_back(spec.name);
  }

  /// Makes room for `source`'s prefix.
  void widen(const app::LogSource& source) { width_ = std::max(width_, prefix(source).size()); }

  std::string render(const app::ReplicaLine& line) const {
    if (format_ == LineFormat::kJson) return json(line);
    std::string name = prefix(line.source);
    name.resize(std::max(width_, name.size()), ' ');
    std::string text = render::paint(name + "  |", hue(line.source.service_name), color_) + " ";
    if (time_ == ShowTime::kYes && !line.line.time.empty()) text += line.line.time + " ";
    return text + line.line.text + "\n";
  }

 private:
  static std::string prefix(const app::LogSource& source) {
    return source.service_name + "-" + std::to_string(source.replica);
  }

  static std::string json(const app::ReplicaLine& line) {
    return "{\"service\":" + json_quote(line.source.service_name) +
           ",\"replica\":" + std::to_string(line.source.replica) +
           ",\"stream\":" + json_quote(docker::to_string(line.line.stream)) +
           ",\"time\":" + json_quote(line.line.time) +
           ",\"line\":" + json_quote(valid_utf8(line.line.text)) + "}\n";
  }

  /// A hue per service, by its place in the config: the same service, the same colour.
  render::Hue hue(const std::string& service_name) const {
    static constexpr render::Hue kHues[] = {render::Hue::kCyan, render::Hue::kYellow,
                                            render::Hue::kGreen, render::Hue::kMagenta};
    auto found = std::find(service_names_.begin(), service_names_.end(), service_name);
    auto index = static_cast<std::size_t>(found - service_names_.begin());
    return kHues[index % std::size(kHues)];
  }

  LineFormat format_;
  render::Color color_;
  ShowTime time_;
  std::vector<std::string> service_names_;
  std::size_t width_ = 0;
};

/// Follows on the terminal: each line printed as it comes, a failed follower as a warning.
class FollowView final : public app::LogsView {
 public:
  explicit FollowView(LineView& lines) : lines_(lines) {}
  void following(const app::LogSource& source) override { lines_.widen(source); }
  void line(const app::ReplicaLine& line) override { print_result(lines_.render(line)); }
  void follow_failed(const app::LogSource&, const Diagnostics& errors) override {
    for (const Diagnostic& error : errors) spdlog::warn("{}", diagnostic_line(error));
  }

 private:
  LineView& lines_;
};

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<app::LogsRequest> logs_request(const LogsFlags& flags) {
  app::LogsRequest request{flags.service_names, {}};
  if (flags.tail >= 0) request.lines.tail = flags.tail;
  if (flags.since.empty()) return request;
  Result<std::int64_t> since = app::parse_since(flags.since, now_ns());
  if (!since) return since.errors();
  request.lines.since_ns = *since;
  return request;
}

LineView line_view(const GlobalOptions& global, const LogsFlags& flags, const std::string& format,
                   const model::DesiredState& desired) {
  return LineView(format == "json" ? LineFormat::kJson : LineFormat::kText,
                  color_enabled(global, STDOUT_FILENO) ? render::Color::kYes : render::Color::kNo,
                  flags.timestamps ? ShowTime::kYes : ShowTime::kNo, desired);
}

/// Prints every line, a piece at a time: logs may be far larger than one write should be.
void print_lines(const std::vector<app::ReplicaLine>& lines, const LineView& view) {
  constexpr std::size_t kPiece = 64 * 1024;
  std::string text;
  for (const app::ReplicaLine& line : lines) {
    text += view.render(line);
    if (text.size() < kPiece) continue;
    print_result(text);
    text.clear();
  }
  if (!text.empty()) print_result(text);
}

ExitCode follow(const GlobalOptions& global, const LogsFlags& flags,
                const app::LogsRequest& request, const std::string& format) {
  InterruptWatch watch;  // before any thread starts, so every thread inherits the mask
  watch.on_stop([] {});  // Ctrl-C is how following ends: nothing to say about it
  watch.on_abort_say("aborted");
  Result<OpenEnvironment> open = open_environment(global);
  if (!open) return fail(open.errors(), global);
  LineView lines = line_view(global, flags, format, open->loaded.desired);
  FollowView view(lines);
  Status followed =
      app::follow_logs(*open->engine, open->loaded.desired, request, view, watch.stop_requested());
  if (!followed) return fail(followed.errors(), global);
  return ExitCode::kSuccess;
}

ExitCode run_logs(const GlobalOptions& global, const LogsFlags& flags) {
  Result<std::string> format = output_format(global, "logs", {"text", "json"});
  if (!format) return fail(format.errors(), global);
  Result<app::LogsRequest> request = logs_request(flags);
  if (!request) return fail(request.errors(), global);
  if (flags.follow) return follow(global, flags, *request, *format);
  Result<OpenEnvironment> open = open_environment(global);
  if (!open) return fail(open.errors(), global);
  Result<app::ReadLogs> read = app::read_logs(*open->engine, open->loaded.desired, *request);
  if (!read) return fail(read.errors(), global);
  LineView view = line_view(global, flags, *format, open->loaded.desired);
  for (const app::LogSource& source : read->sources) view.widen(source);
  print_lines(read->lines, view);
  return ExitCode::kSuccess;
}

}  // namespace

void add_logs_command(CLI::App& app, const GlobalOptions& global, CommandAction& action) {
  CLI::App* command =
      app.add_subcommand("logs", "Show the logs of each service's replicas, or follow them");
  auto flags = std::make_shared<LogsFlags>();
  command
      ->add_option("service", flags->service_names,
                   "The services (default: every service that has containers)")
      ->type_name("SERVICE");
  command->add_flag("-f,--follow", flags->follow,
                    "Follow the logs until Ctrl-C, and the new containers of a rollout");
  command
      ->add_option("--since", flags->since,
                   "Only lines since a time: a duration back (10m, 1h30m) or RFC 3339")
      ->type_name("WHEN");
  command->add_option("--tail", flags->tail, "Only the last N lines of each container")
      ->type_name("N")
      ->check(CLI::NonNegativeNumber);
  command->add_flag("--timestamps", flags->timestamps, "Show the time Docker gave each line");
  command->footer(
      "Prints the lines of every replica of the services, merged by time, each after its\n"
      "replica's name ('web-1  | ...'); stderr and stdout alike. -o json: one object a line\n"
      "(service, replica, stream, time, line). --follow prints lines as they come, picks up the\n"
      "containers a rollout starts, and ends on Ctrl-C with exit 0. After 'logs', -f is\n"
      "--follow (the config file's -f goes before the command). Reads only. Exit codes: 0, or 1\n"
      "for an unknown service, a service without a container, a bad --since, or Docker's error.");
  command->callback([&global, &action, flags] {
    action = [&global, flags] { return run_logs(global, *flags); };
  });
}

}  // namespace run::cli
