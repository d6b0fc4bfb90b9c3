// libFuzzer target: requests as anything that reaches `run reconcile --listen` sends them, to
// run's request reader: the first byte is the size of the pieces the rest arrives in, and
// whatever follows a complete request (pipelined) is fed to a new reader, as the server does.
// Any input must end in requests, a need for more, or a refusal (malformed, too large):
// never a crash, a hang, or a body longer than the bound.
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/http_wire.h"

namespace {

constexpr std::size_t kMaxBody = 1024;
/// Pipelined requests read from one input, at most: enough to reach the odd ones.
constexpr int kMaxRequests = 64;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  std::size_t piece = std::max<std::size_t>(1, data[0]);
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  for (int count = 0; count < kMaxRequests && !bytes.empty(); ++count) {
    run::net::RequestParser parser(kMaxBody);
    run::net::RequestParser::Step step = run::net::RequestParser::Step::kNeedMore;
    std::string_view rest = bytes;
    while (!rest.empty() && step == run::net::RequestParser::Step::kNeedMore) {
      step = parser.feed(rest.substr(0, piece));
      rest.remove_prefix(std::min(piece, rest.size()));
    }
    if (step == run::net::RequestParser::Step::kMalformed) assert(!parser.error().empty());
    if (step != run::net::RequestParser::Step::kDone) return 0;
    const run::net::Request& request = parser.request();
    assert(!request.method.empty() && !request.target.empty());
    assert(request.body.size() <= kMaxBody);
    // The next request: what the reader did not take, then what was not fed yet.
    std::string next = parser.leftover();
    next.append(rest);
    assert(next.size() < bytes.size());
    bytes = std::move(next);
  }
  return 0;
}
