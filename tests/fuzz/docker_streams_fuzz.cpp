// libFuzzer target: Docker's multiplexed stream (logs, exec output) as the daemon or anything
// posing as it sends it, fed in two pieces split where the first byte says, to the frame
// demultiplexer and to the line demultiplexer on top of it. Any input must end in records or
// an error: never a crash, a hang or memory beyond the line bound.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "docker/log_stream.h"
#include "docker/output_frames.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::size_t split = bytes.empty() ? 0 : data[0] % (bytes.size() + 1);
  run::docker::FrameDemultiplexer frames;
  run::docker::LogDemultiplexer lines(256);
  for (std::string_view piece : {bytes.substr(0, split), bytes.substr(split)}) {
    (void)frames.feed(piece);
    (void)lines.feed(piece);
  }
  (void)lines.finish();
  return 0;
}
