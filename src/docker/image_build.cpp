#include "docker/image_build.h"

#include <rapidjson/document.h>

#include <cctype>
#include <charconv>
#include <deque>

#include "docker/json_fields.h"

namespace run::docker {

namespace {

/// The most of one line of output held before its end comes: a step that prints progress with
/// carriage returns and no newline must not grow it without bound.
constexpr std::size_t kMaxPendingLine = 64 * 1024;

/// A whole number at the front of `text`, taken off it.
std::optional<int> take_number(std::string_view& text) {
  int number = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return number;
}

/// "Step 3/7 : RUN ./configure", as the classic builder announces a step.
std::optional<BuildStep> parse_step(std::string_view line) {
  if (!line.starts_with("Step ")) return std::nullopt;
  line.remove_prefix(5);
  std::optional<int> number = take_number(line);
  if (!number || !line.starts_with('/')) return std::nullopt;
  line.remove_prefix(1);
  std::optional<int> total = take_number(line);
  if (!total || !line.starts_with(" : ")) return std::nullopt;
  return BuildStep{*number, *total, std::string(line.substr(3))};
}

/// `line` without terminal escape sequences (ESC [ ... letter): the daemon paints what a step
/// wrote to stderr red, and an error message or a log is no terminal.
std::string without_escapes(std::string_view line) {
  std::string plain;
  for (std::size_t i = 0; i < line.size(); ++i) {
    if (line[i] != '\033') {
      plain += line[i];
      continue;
    }
    if (i + 1 < line.size() && line[i + 1] == '[') {
      i += 2;
      while (i < line.size() && !std::isalpha(static_cast<unsigned char>(line[i]))) ++i;
    }
  }
  return plain;
}

/// Lines the builder prints about itself between steps: not what a failing step said.
bool is_builder_chatter(std::string_view line) {
  return line.empty() || line.starts_with(" ---> ") ||
         line.starts_with("Removing intermediate container");
}

/// Docker's "The command '/bin/sh -c ./configure' returned a non-zero code: 1" as "exit code
/// 1": the step already names the command. Other messages as they are.
std::string failure_text(const std::string& message) {
  constexpr std::string_view kNonZero = "returned a non-zero code: ";
  std::size_t at = message.find(kNonZero);
  if (at == std::string::npos) return message;
  return "exit code " + message.substr(at + kNonZero.size());
}

/// The error of a JSON-lines message, from "errorDetail" or else "error"; empty when none.
std::string error_of(const rapidjson::Value& message) {
  auto detail = message.FindMember("errorDetail");
  if (detail != message.MemberEnd()) {
    std::string text = string_member(detail->value, "message");
    if (!text.empty()) return text;
  }
  return string_member(message, "error");
}

/// Follows the answer of a build line by line: steps and output to the listener, the last
/// lines of the current step kept for an error, the image id and the failure remembered.
class BuildProgress {
 public:
  explicit BuildProgress(BuildListener& listener) : listener_(listener) {}

  /// One line of the answer: a JSON message, or text taken as output.
  void take(std::string_view line) {
    rapidjson::Document message;
    message.Parse(line.data(), line.size());
    if (message.HasParseError() || !message.IsObject()) {
      take_line(line);
      return;
    }
    take_text(string_member(message, "stream"));
    take_status(message);
    if (auto aux = message.FindMember("aux"); aux != message.MemberEnd()) {
      std::string id = string_member(aux->value, "ID");
      if (!id.empty()) aux_id_ = id;
    }
    if (std::string error = error_of(message); !error.empty() && !failure_) failure_ = error;
  }

  /// The answer ended: a last line without its newline is still output.
  void finish() {
    if (!pending_.empty()) take_line(pending_);
    pending_.clear();
  }

  /// The id an {"aux":{"ID":...}} message gave ("sha256:..."); else the short one of
  /// "Successfully built ID"; empty when neither came.
  std::string image_id() const { return aux_id_.empty() ? built_id_ : aux_id_; }
  const std::optional<std::string>& failure() const { return failure_; }
  const std::optional<BuildStep>& step() const { return step_; }
  const std::deque<std::string>& tail() const { return tail_; }

 private:
  /// A "stream" value: output that may hold several lines or part of one.
  void take_text(std::string_view text) {
    pending_.append(text);
    std::size_t start = 0;
    for (std::size_t end; (end = pending_.find('\n', start)) != std::string::npos; start = end + 1)
      take_line(std::string_view(pending_).substr(start, end - start));
    pending_.erase(0, start);
    if (pending_.size() > kMaxPendingLine) finish();
  }

  /// A "status" message: a base image pulled for FROM. Progress bars redraw one line, so
  /// only the messages without one are lines.
  void take_status(const rapidjson::Value& message) {
    std::string status = string_member(message, "status");
    if (status.empty() || message.HasMember("progress")) return;
    std::string id = string_member(message, "id");
    take_line(id.empty() ? status : id + ": " + status);
  }

  void take_line(std::string_view raw) {
    std::string plain = without_escapes(raw);
    std::string_view line = plain;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (std::optional<BuildStep> step = parse_step(line)) {
      step_ = std::move(step);
      tail_.clear();
      listener_.step(*step_);
      return;
    }
    listener_.output(line);
    constexpr std::string_view kBuilt = "Successfully built ";
    if (line.starts_with(kBuilt)) built_id_ = line.substr(kBuilt.size());
    if (!is_builder_chatter(line)) keep_in_tail(line);
  }

  void keep_in_tail(std::string_view line) {
    std::string kept(line.substr(0, kBuildTailLineBytes));
    if (line.size() > kBuildTailLineBytes) kept += "...";
    tail_.push_back(std::move(kept));
    if (tail_.size() > kBuildTailLines) tail_.pop_front();
  }

  BuildListener& listener_;
  std::string pending_;  // output after the last newline
  std::optional<BuildStep> step_;
  std::deque<std::string> tail_;
  std::string aux_id_;
  std::string built_id_;
  std::optional<std::string> failure_;
};

std::string what_is_built(const ImageBuildRequest& request, const DockerApi& api) {
  return "building " + request.tag + " on Docker at " + api.endpoint();
}

Diagnostic build_failure(const ImageBuildRequest& request, const DockerApi& api,
                         const BuildProgress& progress) {
  std::string message = what_is_built(request, api) + " failed";
  if (const std::optional<BuildStep>& step = progress.step())
    message += " at step " + std::to_string(step->number) + "/" + std::to_string(step->total) +
               " " + step->instruction;
  message += ": " + failure_text(*progress.failure());
  for (const std::string& line : progress.tail()) message += "\n    " + line;
  return make_error(SourceLocation{}, "", message);
}

/// The errors of `result`, each with `what` in front.
Diagnostics prefixed(const Result<long>& result, const std::string& what) {
  Diagnostics errors = result.errors();
  for (Diagnostic& error : errors) error.message = what + ": " + error.message;
  return errors;
}

}  // namespace

std::string build_path(const ImageBuildRequest& request) {
  std::string path = "/build?t=" + url_encode(request.tag);
  if (!request.dockerfile.empty()) path += "&dockerfile=" + url_encode(request.dockerfile);
  if (!request.args.empty()) path += "&buildargs=" + url_encode(json_string_map(request.args));
  if (!request.target.empty()) path += "&target=" + url_encode(request.target);
  if (!request.labels.empty()) path += "&labels=" + url_encode(json_string_map(request.labels));
  if (request.no_cache) path += "&nocache=1";
  // rm and forcerm: no intermediate container is left behind, even by a failed step.
  return path + "&rm=1&forcerm=1";
}

Result<std::string> build_image(DockerApi& api, const ImageBuildRequest& request,
                                const BodyWriter& context_tar, BuildListener& listener,
                                const std::atomic<bool>& stop) {
  BuildProgress progress(listener);
  Result<long> answered = api.post_streamed(
      StreamedPost{build_path(request), "application/x-tar", {}, context_tar},
      [&progress](std::string_view line) { progress.take(line); }, stop);
  if (stop.load())
    return make_error(SourceLocation{}, "", what_is_built(request, api) + ": interrupted");
  if (!answered) return prefixed(answered, what_is_built(request, api));
  progress.finish();
  if (progress.failure()) return build_failure(request, api, progress);
  if (std::string id = progress.image_id(); !id.empty()) return id;
  return make_error(SourceLocation{}, "",
                    what_is_built(request, api) + ": the build ended without naming an image");
}

}  // namespace run::docker
