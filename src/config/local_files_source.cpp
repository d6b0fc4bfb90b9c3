#include "config/local_files_source.h"

namespace run::config {

namespace {

/// `path` without leading "./" steps, so that "./.env" is recognised too.
std::string_view without_dot_steps(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  return path;
}

}  // namespace

bool is_local_only_path(const std::string& path) {
  std::string_view relative = without_dot_steps(path);
  return relative == ".env" || relative == ".run" || relative.starts_with(".run/");
}

}  // namespace run::config
