#include "core/this_process.h"

#include <unistd.h>
#include <cerrno>
#include <csignal>

namespace run {

std::string this_host() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0) return "";
  return host;
}

int this_process_id() { return static_cast<int>(::getpid()); }

bool process_exists(int pid) {
  if (pid <= 0) return false;
  return ::kill(pid, 0) == 0 || errno == EPERM;
}

}  // namespace run
