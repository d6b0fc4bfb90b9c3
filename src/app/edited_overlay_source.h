#pragma once

#include <string>
#include <vector>

#include "config/file_source.h"

namespace run::app {

/// A configuration's files with one overlay replaced by an edited text: the edit is loaded
/// and validated before it is written, so a promotion that breaks TO's configuration
/// changes nothing.
class EditedOverlaySource final : public config::FileSource {
 public:
  EditedOverlaySource(const config::FileSource& files, std::string overlay_path, std::string text)
      : files_(files), overlay_path_(std::move(overlay_path)), text_(std::move(text)) {}

  Result<std::string> read(const std::string& path) const override;
  bool exists(const std::string& path) const override;
  std::vector<std::string> list(const std::string& directory) const override;

 private:
  const config::FileSource& files_;
  std::string overlay_path_;
  std::string text_;
};

}  // namespace run::app
