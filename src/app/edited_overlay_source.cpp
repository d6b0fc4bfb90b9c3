#include "app/edited_overlay_source.h"

#include <algorithm>
#include <filesystem>

namespace run::app {

Result<std::string> EditedOverlaySource::read(const std::string& path) const {
  return path == overlay_path_ ? Result<std::string>(text_) : files_.read(path);
}

bool EditedOverlaySource::exists(const std::string& path) const {
  return path == overlay_path_ || files_.exists(path);
}

std::vector<std::string> EditedOverlaySource::list(const std::string& directory) const {
  std::vector<std::string> names = files_.list(directory);
  std::filesystem::path overlay(overlay_path_);
  std::string name = overlay.filename().string();
  if (overlay.parent_path() == directory &&
      std::find(names.begin(), names.end(), name) == names.end()) {
    names.push_back(name);
    std::sort(names.begin(), names.end());
  }
  return names;
}

}  // namespace run::app
