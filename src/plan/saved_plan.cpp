#include "plan/saved_plan.h"

#include <algorithm>
#include <vector>

namespace run::plan {

namespace {

bool is_image_line(const std::string& line) { return line.starts_with("image "); }

std::string image_of(const std::string& line) { return line.substr(6, line.find(" id=") - 6); }

/// Whether the lines name any container, network or volume (image lines do not).
bool has_objects(const std::set<std::string>& lines) {
  return std::any_of(lines.begin(), lines.end(),
                     [](const std::string& line) { return !is_image_line(line); });
}

std::set<std::string> images_named(const std::set<std::string>& lines) {
  std::set<std::string> images;
  for (const std::string& line : lines)
    if (is_image_line(line)) images.insert(image_of(line));
  return images;
}

/// Drops the image lines of images that only one side names.
void drop_unshared_images(std::set<std::string>& before, std::set<std::string>& now) {
  std::set<std::string> images_before = images_named(before);
  std::set<std::string> images_now = images_named(now);
  auto unshared = [&](const std::string& line) {
    return is_image_line(line) &&
           !(images_before.count(image_of(line)) && images_now.count(image_of(line)));
  };
  std::erase_if(before, unshared);
  std::erase_if(now, unshared);
}

/// "  was: " / "  now: " lines for what differs, at most 20.
std::string moved(const std::set<std::string>& before, const std::set<std::string>& now) {
  std::vector<std::string> lines;
  for (const std::string& line : before)
    if (!now.count(line)) lines.push_back("  was: " + line);
  for (const std::string& line : now)
    if (!before.count(line)) lines.push_back("  now: " + line);
  std::string text;
  for (std::size_t i = 0; i < lines.size() && i < 20; ++i) text += "\n" + lines[i];
  if (lines.size() > 20) text += "\n  (" + std::to_string(lines.size() - 20) + " more)";
  return text;
}

std::string environment_moved(const PlanFingerprints& saved, const PlanFingerprints& now) {
  std::set<std::string> before = saved.observed_lines;
  std::set<std::string> after = now.observed_lines;
  drop_unshared_images(before, after);
  if (before == after) return "";
  std::string what = !has_objects(before)
                         ? "the environment was empty when the plan was made and is not now:"
                         : "the environment changed since the plan was made:";
  return "\n" + what + moved(before, after);
}

}  // namespace

std::vector<std::string> fingerprint_lines_in_order(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

std::set<std::string> fingerprint_lines(const std::string& text) {
  std::vector<std::string> lines = fingerprint_lines_in_order(text);
  return {lines.begin(), lines.end()};
}

Status check_saved_plan(const PlanFingerprints& saved, const PlanFingerprints& now,
                        const std::string& file) {
  if (saved.project != now.project || saved.environment != now.environment)
    return make_error(SourceLocation{file, 0, 0}, "",
                      "the plan is for " + saved.project + "/" + saved.environment + ", not " +
                          now.project + "/" + now.environment,
                      "pass --env " + saved.environment);
  std::string problems;
  if (saved.desired_hash != now.desired_hash)
    problems += "\nthe configuration changed since the plan was made:" +
                moved(saved.desired_lines, now.desired_lines);
  if (saved.observed_hash != now.observed_hash) problems += environment_moved(saved, now);
  if (problems.empty()) return ok_status();
  return make_error(SourceLocation{file, 0, 0}, "",
                    "the saved plan is stale; nothing was applied" + problems,
                    "make a new plan: run plan --out " + file);
}

}  // namespace run::plan
