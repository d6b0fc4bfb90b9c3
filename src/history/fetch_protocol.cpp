#include "history/fetch_protocol.h"

#include <optional>
#include <sstream>

#include "core/seconds_text.h"

namespace run::history {

namespace {

std::string escaped(const std::string& field) {
  std::string text;
  for (char c : field) {
    if (c == '\\')
      text += "\\\\";
    else if (c == '\n')
      text += "\\n";
    else
      text += c;
  }
  return text;
}

std::string unescaped(const std::string& field) {
  std::string text;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      text += field[i];
      continue;
    }
    ++i;
    text += field[i] == 'n' ? '\n' : field[i];
  }
  return text;
}

/// "ok REF COMMIT": the branch, or none when the line is not that.
std::optional<FetchedBranch> fetched_line(const std::string& line) {
  std::istringstream words(line);
  std::string word;
  FetchedBranch fetched;
  if (!(words >> word) || word != "ok") return std::nullopt;
  if (!(words >> fetched.tracking_ref >> fetched.commit_id)) return std::nullopt;
  if (fetched.commit_id.size() != 40) return std::nullopt;
  return fetched;
}

/// "60 s", "2.5 s": as the flag was most likely written.
std::string timeout_text(std::chrono::milliseconds timeout) {
  if (timeout.count() % 1000 == 0) return std::to_string(timeout.count() / 1000) + " s";
  return seconds_text(static_cast<double>(timeout.count()) / 1000.0);
}

Diagnostic garbled_reply(const std::string& remote, const std::string& reply) {
  std::string first_line = reply.substr(0, reply.find('\n'));
  return make_error(SourceLocation{}, "",
                    "fetch of " + remote + " ended without a reply" +
                        (first_line.empty() ? std::string() : " (it said '" + first_line + "')"),
                    "'git fetch " + remote + "' tries the same fetch, and may say more");
}

}  // namespace

std::vector<std::string> fetch_command_arguments(const std::string& project_directory,
                                                 const std::string& remote,
                                                 const std::string& branch) {
  return {kFetchCommand, project_directory, remote, branch};
}

std::string fetch_reply_text(const Result<FetchedBranch>& fetched) {
  if (fetched) return "ok " + fetched->tracking_ref + " " + fetched->commit_id + "\n";
  std::string text;
  for (const Diagnostic& error : fetched.errors()) {
    text += "error " + escaped(error.message) + "\n";
    if (!error.hint.empty()) text += "hint " + escaped(error.hint) + "\n";
  }
  return text;
}

Result<FetchedBranch> parse_fetch_reply(const std::string& reply, const std::string& remote) {
  if (std::optional<FetchedBranch> fetched = fetched_line(reply.substr(0, reply.find('\n'))))
    return *fetched;
  Diagnostics errors;
  std::istringstream lines(reply);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.starts_with("error ")) {
      errors.push_back(make_error(SourceLocation{}, "", unescaped(line.substr(6))));
      continue;
    }
    if (!line.starts_with("hint ") || errors.empty() || !errors.back().hint.empty())
      return garbled_reply(remote, reply);
    errors.back().hint = unescaped(line.substr(5));
  }
  if (errors.empty()) return garbled_reply(remote, reply);
  return errors;
}

Diagnostic fetch_timed_out(const std::string& remote, std::chrono::milliseconds timeout) {
  return make_error(SourceLocation{}, "",
                    "fetch of " + remote + " timed out after " + timeout_text(timeout),
                    "the remote did not answer in time: check that it is reachable ('git "
                    "fetch " +
                        remote + "'), or give it longer with --fetch-timeout");
}

Diagnostic fetch_interrupted(const std::string& remote) {
  return make_error(SourceLocation{}, "",
                    "fetch of " + remote + " interrupted: the loop is stopping");
}

}  // namespace run::history
