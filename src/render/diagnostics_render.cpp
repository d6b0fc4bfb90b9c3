#include "render/diagnostics_render.h"

#include <algorithm>

#include "core/json_text.h"

namespace run::render {

std::string diagnostics_text(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& diagnostic : diagnostics) out += format_diagnostic(diagnostic) + "\n";
  return out;
}

std::string diagnostics_json(const Diagnostics& diagnostics) {
  auto errors = std::count_if(diagnostics.begin(), diagnostics.end(),
                              [](const Diagnostic& d) { return d.severity == Severity::kError; });
  std::string out = "{\n  \"valid\": " + std::string(errors == 0 ? "true" : "false") + ",\n";
  out += "  \"errors\": " + std::to_string(errors) + ",\n";
  out +=
      "  \"warnings\": " + std::to_string(static_cast<long>(diagnostics.size()) - errors) + ",\n";
  out += "  \"diagnostics\": [";
  for (std::size_t i = 0; i < diagnostics.size(); ++i) {
    const Diagnostic& d = diagnostics[i];
    out += i == 0 ? "\n" : ",\n";
    out += "    {\"severity\": " + json_quote(d.severity == Severity::kError ? "error" : "warning");
    out += ", \"file\": " + json_quote(d.location.file);
    out += ", \"line\": " + std::to_string(d.location.line);
    out += ", \"column\": " + std::to_string(d.location.column);
    out += ", \"path\": " + json_quote(d.path);
    out += ", \"message\": " + json_quote(d.message);
    out += ", \"hint\": " + json_quote(d.hint) + "}";
  }
  out += diagnostics.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace run::render
