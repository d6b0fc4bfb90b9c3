#include "cli/progress_view.h"

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "core/json_text.h"
#include "core/seconds_text.h"
#include "render/color.h"
#include "render/plan_text.h"

namespace run::cli {

namespace {

using Clock = std::chrono::steady_clock;
using render::Color;
using render::Hue;

void write_err(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

std::string what(const plan::Action& action) {
  return std::string(plan::to_string(action.kind)) + " " +
         std::string(plan::to_string(action.resource)) + " " + action.name;
}

Hue hue_of(apply::ActionState state) {
  switch (state) {
    case apply::ActionState::kDone:
      return Hue::kGreen;
    case apply::ActionState::kFailed:
      return Hue::kRed;
    case apply::ActionState::kSkipped:
      return Hue::kYellow;
    default:
      return Hue::kCyan;
  }
}

class PlainView final : public apply::ProgressSink {
 public:
  explicit PlainView(Color color) : color_(color) {}
  void started(std::size_t, const plan::Action& action) override {
    std::lock_guard lock(mutex_);
    write_err(render::paint("  ...  ", Hue::kCyan, color_) + what(action) + "\n");
  }
  void finished(std::size_t, const plan::Action& action,
                const apply::ActionResult& result) override {
    std::lock_guard lock(mutex_);
    std::string state(apply::to_string(result.state));
    std::string line = render::paint(state, hue_of(result.state), color_) + " " + what(action);
    if (result.state == apply::ActionState::kDone || result.state == apply::ActionState::kFailed)
      line += " (" + seconds_text(result.seconds) + ")";
    if (!result.message.empty()) line += ": " + result.message;
    write_err("  " + line + "\n");
  }
  void note(const std::string& text) override {
    std::lock_guard lock(mutex_);
    write_err("  " + render::paint(text, Hue::kDim, color_) + "\n");
  }
  void step(std::size_t, const plan::Action& action, const std::string& text) override {
    note(action.service + ": " + text);
  }

 private:
  Color color_;
  std::mutex mutex_;
};

std::string json_list(const std::vector<std::string>& items) {
  std::string text = "[";
  for (const std::string& item : items) text += (text.size() > 1 ? ", " : "") + json_quote(item);
  return text + "]";
}

class JsonView final : public apply::ProgressSink {
 public:
  void started(std::size_t index, const plan::Action& action) override {
    emit("started", index, action, nullptr);
  }
  void finished(std::size_t index, const plan::Action& action,
                const apply::ActionResult& result) override {
    emit("finished", index, action, &result);
  }
  void note(const std::string& text) override {
    std::lock_guard lock(mutex_);
    write_err("{\"event\": \"note\", \"time_ms\": " + std::to_string(now_ms()) +
              ", \"message\": " + json_quote(text) + "}\n");
  }
  void step(std::size_t index, const plan::Action& action, const std::string& text) override {
    std::lock_guard lock(mutex_);
    write_err("{\"event\": \"step\", \"time_ms\": " + std::to_string(now_ms()) +
              ", \"index\": " + std::to_string(index) + ", \"name\": " + json_quote(action.name) +
              ", \"service\": " + json_quote(action.service) +
              ", \"message\": " + json_quote(text) + "}\n");
  }

 private:
  static long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  void emit(const char* event, std::size_t index, const plan::Action& action,
            const apply::ActionResult* result) {
    std::string line = "{\"event\": " + json_quote(event) +
                       ", \"time_ms\": " + std::to_string(now_ms()) +
                       ", \"index\": " + std::to_string(index) +
                       ", \"action\": " + json_quote(plan::to_string(action.kind)) +
                       ", \"kind\": " + json_quote(plan::to_string(action.resource)) +
                       ", \"name\": " + json_quote(action.name);
    if (!action.service.empty()) line += ", \"service\": " + json_quote(action.service);
    if (result) {
      char seconds[32];
      std::snprintf(seconds, sizeof seconds, "%.3f", result->seconds);
      line += ", \"state\": " + json_quote(apply::to_string(result->state)) +
              ", \"seconds\": " + seconds;
      if (!result->message.empty()) line += ", \"message\": " + json_quote(result->message);
      if (!result->diagnostics.empty())
        line += ", \"diagnostics\": " + json_list(result->diagnostics);
    }
    std::lock_guard lock(mutex_);
    write_err(line + "}\n");
  }
  std::mutex mutex_;
};

/// A block of lines at the bottom of the terminal, one per action that started, redrawn in
/// place (cursor up, clear) whenever something changes and four times a second for the
/// clocks. Notes scroll above it.
class LiveView final : public apply::ProgressSink {
 public:
  explicit LiveView(Color color) : color_(color), ticker_([this] { tick(); }) {}
  ~LiveView() override {
    {
      std::lock_guard lock(mutex_);
      closing_ = true;
    }
    wake_.notify_all();
    ticker_.join();
    std::lock_guard lock(mutex_);
    redraw();
  }

  void started(std::size_t index, const plan::Action& action) override {
    std::lock_guard lock(mutex_);
    lines_[index] = Line{what(action), Clock::now(), std::nullopt};
    redraw();
  }
  void finished(std::size_t index, const plan::Action& action,
                const apply::ActionResult& result) override {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = lines_.try_emplace(index, Line{what(action), Clock::now(), std::nullopt});
    it->second.result = result;
    redraw();
  }
  void note(const std::string& text) override {
    std::lock_guard lock(mutex_);
    erase_block();
    write_err("  " + render::paint(text, Hue::kDim, color_) + "\n");
    drawn_ = 0;
    redraw();
  }
  /// The action's line shows where it is: "running build image tsp/app:… (12.0s): step 3/7".
  void step(std::size_t index, const plan::Action& action, const std::string& text) override {
    std::lock_guard lock(mutex_);
    auto [it, inserted] = lines_.try_emplace(index, Line{what(action), Clock::now(), std::nullopt});
    it->second.detail = text;
    redraw();
  }

 private:
  struct Line {
    std::string text;
    Clock::time_point start;
    std::optional<apply::ActionResult> result;
    std::string detail;  ///< the step a build is at
  };

  void tick() {
    std::unique_lock lock(mutex_);
    while (!closing_) {
      wake_.wait_for(lock, std::chrono::milliseconds(250));
      if (!closing_) redraw();
    }
  }

  void erase_block() {
    if (drawn_ > 0) write_err("\033[" + std::to_string(drawn_) + "F\033[J");
  }

  std::string render_line(const Line& line) const {
    if (!line.result) {
      double elapsed = std::chrono::duration<double>(Clock::now() - line.start).count();
      return "  " + render::paint("running", Hue::kCyan, color_) + " " + line.text + " (" +
             seconds_text(elapsed) + ")" + (line.detail.empty() ? "" : ": " + line.detail);
    }
    std::string text = "  " +
                       render::paint(std::string(apply::to_string(line.result->state)),
                                     hue_of(line.result->state), color_) +
                       " " + line.text;
    if (line.result->state == apply::ActionState::kDone ||
        line.result->state == apply::ActionState::kFailed)
      text += " (" + seconds_text(line.result->seconds) + ")";
    if (!line.result->message.empty()) text += ": " + line.result->message;
    return text;
  }

  void redraw() {
    std::string block;
    for (const auto& [index, line] : lines_) block += "\033[2K" + render_line(line) + "\n";
    erase_block();
    write_err(block);
    drawn_ = lines_.size();
  }

  Color color_;
  std::map<std::size_t, Line> lines_;
  std::size_t drawn_ = 0;
  bool closing_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread ticker_;
};

}  // namespace

ProgressStyle progress_style(const std::string& flag, bool /*color*/) {
  if (flag == "json") return ProgressStyle::kJson;
  if (flag == "plain") return ProgressStyle::kPlain;
  if (flag == "live") return ProgressStyle::kLive;
  return ::isatty(STDERR_FILENO) == 1 ? ProgressStyle::kLive : ProgressStyle::kPlain;
}

std::unique_ptr<apply::ProgressSink> make_progress_view(ProgressStyle style, bool color) {
  Color colour = color ? Color::kYes : Color::kNo;
  switch (style) {
    case ProgressStyle::kJson:
      return std::make_unique<JsonView>();
    case ProgressStyle::kLive:
      return std::make_unique<LiveView>(colour);
    case ProgressStyle::kPlain:
      return std::make_unique<PlainView>(colour);
  }
  return std::make_unique<PlainView>(colour);
}

}  // namespace run::cli
