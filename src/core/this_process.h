#pragma once

#include <string>

namespace run {

/// This machine's host name, as gethostname gives it ("" when it cannot be read).
std::string this_host();

/// This process's id.
int this_process_id();

/// Whether a process with id `pid` exists on this host (kill(pid, 0); a process of another
/// user counts as existing).
bool process_exists(int pid);

}  // namespace run
