// libFuzzer target: an HTTP response as the Docker daemon, a webhook receiver or anything
// posing as them sends it, to run's response reader (status line, headers, 1xx heads, a body
// by Content-Length, chunked or until the close, a takeover). The first byte chooses the
// request (HEAD or not, takeover asked or not); the next bytes, taken in turn, are the sizes of
// the pieces the rest arrives in, as a socket cuts it. Any input must end in a response, a
// need for more or an error: never a crash, a hang, or a body that is not what was framed.
#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/http_wire.h"

namespace {

/// A socket's cuts: each byte of `sizes`, in turn and again, is the size of the next piece
/// (0 counts as 1), so the same bytes arrive whole, byte by byte, or in odd pieces.
class Pieces {
 public:
  Pieces(std::string_view sizes, std::string_view bytes) : sizes_(sizes), bytes_(bytes) {}
  bool done() const { return bytes_.empty(); }
  std::string_view next() {
    std::size_t size = sizes_.empty()
                           ? bytes_.size()
                           : std::max<std::size_t>(1, static_cast<unsigned char>(sizes_[turn_]));
    if (!sizes_.empty()) turn_ = (turn_ + 1) % sizes_.size();
    std::string_view piece = bytes_.substr(0, size);
    bytes_.remove_prefix(piece.size());
    return piece;
  }

 private:
  std::string_view sizes_;
  std::string_view bytes_;
  std::size_t turn_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto choice = static_cast<unsigned char>(input[0]);
  bool no_body = (choice & 1) != 0;
  auto takeover = (choice & 2) != 0 ? run::net::Takeover::kAsked : run::net::Takeover::kNotAsked;
  std::size_t size_count = std::min<std::size_t>((choice >> 2) & 7, input.size() - 1);
  std::string_view sizes = input.substr(1, size_count);
  run::net::ResponseParser parser(no_body, takeover);
  std::string body;
  auto sink = [&body](std::string_view piece) { body.append(piece); };
  run::net::ResponseParser::Step step = run::net::ResponseParser::Step::kNeedMore;
  for (Pieces pieces(sizes, input.substr(1 + size_count));
       !pieces.done() && step == run::net::ResponseParser::Step::kNeedMore;)
    step = parser.feed(pieces.next(), sink);
  if (step == run::net::ResponseParser::Step::kNeedMore) step = parser.finish();
  // What the reader promises, checked on every input.
  if (step == run::net::ResponseParser::Step::kMalformed) assert(!parser.error().empty());
  if (step == run::net::ResponseParser::Step::kDone) {
    assert(parser.head_complete());
    assert(parser.head().status >= 100 && parser.head().status <= 999);
    if (no_body || parser.taken_over()) assert(body.empty());
    if (parser.taken_over()) assert(takeover == run::net::Takeover::kAsked && !parser.reusable());
  }
  return 0;
}
