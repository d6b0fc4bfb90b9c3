#include "cli/confirm.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace run::cli {

Result<bool> confirm_changes(const std::string& verb, const std::string& environment, bool protected_environment) {
  if (::isatty(STDIN_FILENO) != 1) {
    return make_error(SourceLocation{}, "", "'run " + verb + "' needs a confirmation and there is no terminal to ask on",
                      "review the plan, then pass --auto-approve (or save it with 'run plan --out FILE' and apply FILE)");
  }
  std::string expected = protected_environment ? environment : "yes";
  std::string question = protected_environment
                             ? environment + " is protected. Type its name to " + verb + ": "
                             : "Do you want to " + verb + " these changes to " + environment + "? Only 'yes' is accepted: ";
  std::fprintf(stderr, "\n%s", question.c_str());
  std::fflush(stderr);
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == expected;
}

}  // namespace run::cli
