// libFuzzer target: the `.env` reader, expanding (as `.env` is read) and literal (as a secrets
// file is read), on arbitrary bytes. Any input must end in variables or in diagnostics that
// name a line of the file: never a crash, a hang or unbounded memory.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "config/dotenv.h"

namespace {

void require_located(const run::Diagnostics& errors) {
  for (const run::Diagnostic& error : errors)
    if (error.location.file != ".env" || error.location.line < 1 || error.location.column < 1)
      std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  run::config::VariableMap environment{{"TAG", "1.0"}, {"ENV_NAME", "staging"}, {"EMPTY", ""}};
  run::Result<run::config::VariableMap> expanded =
      run::config::parse_dotenv(text, ".env", environment);
  if (!expanded) require_located(expanded.errors());
  run::Result<run::config::VariableMap> literal = run::config::parse_dotenv_literal(text, ".env");
  if (!literal) require_located(literal.errors());
  // Both readings share one grammar: a file is malformed for both or for neither, except for
  // what only expansion can refuse (an unset or malformed reference).
  if (expanded && !literal) std::abort();
  return 0;
}
