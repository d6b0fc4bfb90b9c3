#include "build/context_tar.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <set>
#include <string>

#include "config/digest.h"

namespace run::build {

namespace {

constexpr std::size_t kBlockBytes = 512;
constexpr std::size_t kNameBytes = 100;
/// The largest size 11 octal digits hold: 8 GiB - 1.
constexpr std::uint64_t kMaxUstarSize = (std::uint64_t{1} << 33) - 1;

using Block = std::array<char, kBlockBytes>;

/// The ustar header's fields, at their POSIX offsets.
struct Field {
  std::size_t offset;
  std::size_t length;
};
constexpr Field kName{0, 100};
constexpr Field kMode{100, 8};
constexpr Field kUid{108, 8};
constexpr Field kGid{116, 8};
constexpr Field kSize{124, 12};
constexpr Field kMtime{136, 12};
constexpr Field kChecksum{148, 8};
constexpr Field kTypeFlag{156, 1};
constexpr Field kLinkName{157, 100};
constexpr Field kMagic{257, 6};
constexpr Field kVersion{263, 2};

/// One entry to write: what its header says.
struct TarEntry {
  std::string path;  ///< with a trailing '/' for a directory
  char type_flag = '0';
  unsigned mode = 0644;
  std::uint64_t size = 0;
  std::string link_target;
};

void put_text(Block& block, Field field, std::string_view text) {
  std::memcpy(block.data() + field.offset, text.data(), std::min(text.size(), field.length));
}

/// `value` in octal, zero-padded to fill the field but its last byte (a NUL).
void put_octal(Block& block, Field field, std::uint64_t value) {
  std::string digits(field.length - 1, '0');
  for (std::size_t at = digits.size(); at-- > 0 && value != 0; value >>= 3)
    digits[at] = static_cast<char>('0' + (value & 7));
  put_text(block, field, digits);
}

void put_checksum(Block& block) {
  std::memset(block.data() + kChecksum.offset, ' ', kChecksum.length);
  unsigned sum = 0;
  for (char byte : block) sum += static_cast<unsigned char>(byte);
  std::string digits(6, '0');
  for (std::size_t at = digits.size(); at-- > 0; sum >>= 3)
    digits[at] = static_cast<char>('0' + (sum & 7));
  put_text(block, kChecksum, digits + std::string(1, '\0') + " ");
}

Block header(std::string_view name, char type_flag, unsigned mode, std::uint64_t size,
             std::string_view link_target) {
  Block block{};
  put_text(block, kName, name);
  put_octal(block, kMode, mode);
  put_octal(block, kUid, 0);
  put_octal(block, kGid, 0);
  put_octal(block, kSize, size);
  put_octal(block, kMtime, 0);
  put_text(block, kTypeFlag, std::string_view(&type_flag, 1));
  put_text(block, kLinkName, link_target);
  put_text(block, kMagic, std::string_view("ustar\0", 6));
  put_text(block, kVersion, "00");
  put_checksum(block);
  return block;
}

/// A PAX record, "<length> key=value\n", where the length counts its own digits.
std::string pax_record(std::string_view key, std::string_view value) {
  std::size_t body = 1 + key.size() + 1 + value.size() + 1;
  std::size_t length = body + std::to_string(body).size();
  if (std::to_string(length).size() + body != length) ++length;  // the digits carried over
  return std::to_string(length) + " " + std::string(key) + "=" + std::string(value) + "\n";
}

/// The PAX records `entry` needs, empty when its ustar header holds it all.
std::string pax_records(const TarEntry& entry) {
  std::string records;
  if (entry.path.size() > kNameBytes) records += pax_record("path", entry.path);
  if (entry.link_target.size() > kNameBytes) records += pax_record("linkpath", entry.link_target);
  if (entry.size > kMaxUstarSize) records += pax_record("size", std::to_string(entry.size));
  return records;
}

/// Writes to the sink, remembering a refusal: every later write is skipped and the archive
/// ends as "interrupted".
class TarWriter {
 public:
  explicit TarWriter(const TarSink& write) : write_(write) {}

  bool write(std::string_view bytes) {
    if (!interrupted_ && !bytes.empty() && !write_(bytes)) interrupted_ = true;
    return !interrupted_;
  }
  bool write(const Block& block) { return write(std::string_view(block.data(), block.size())); }
  bool pad(std::uint64_t written) {
    std::size_t rest =
        static_cast<std::size_t>((kBlockBytes - written % kBlockBytes) % kBlockBytes);
    return write(std::string_view(kZeros.data(), rest));
  }
  bool interrupted() const { return interrupted_; }

  static constexpr Block kZeros{};

 private:
  const TarSink& write_;
  bool interrupted_ = false;
};

bool write_header(TarWriter& writer, const TarEntry& entry) {
  std::string records = pax_records(entry);
  if (!records.empty()) {
    if (!writer.write(header("././@PaxHeader", 'x', 0644, records.size(), {}))) return false;
    if (!writer.write(records) || !writer.pad(records.size())) return false;
  }
  std::uint64_t ustar_size = entry.size > kMaxUstarSize ? 0 : entry.size;
  return writer.write(
      header(entry.path, entry.type_flag, entry.mode, ustar_size, entry.link_target));
}

Diagnostic changed_error(const std::string& path) {
  return make_error(SourceLocation{}, "", path + " changed while the context was sent");
}

Diagnostic interrupted_error() { return make_error(SourceLocation{}, "", "interrupted"); }

/// Streams a file's content after its header, checking it is still what the manifest hashed.
Status write_content(const ContextTree& tree, const ManifestFile& file, TarWriter& writer) {
  std::uint64_t written = 0;
  bool too_long = false;
  config::Sha256Stream hasher;
  Status read = tree.read(file.path, [&](std::string_view piece) {
    too_long = written + piece.size() > file.size;
    if (too_long) return false;  // the header promised file.size bytes
    written += piece.size();
    hasher.update(piece);
    return writer.write(piece);
  });
  if (!read) return read;
  if (writer.interrupted()) return interrupted_error();
  if (too_long || written != file.size || hasher.finish_hex() != file.sha256)
    return changed_error(file.path);
  if (!writer.pad(written)) return interrupted_error();
  return ok_status();
}

TarEntry entry_for(const ManifestFile& file) {
  if (file.symlink) return TarEntry{file.path, '2', 0777, 0, file.link_target};
  return TarEntry{file.path, '0', file.executable ? 0755u : 0644u, file.size, {}};
}

/// Writes the directory entries above `path` not written yet, nearest the root first.
bool write_parents(TarWriter& writer, const std::string& path, std::set<std::string>& written) {
  for (std::size_t slash = path.find('/'); slash != std::string::npos;
       slash = path.find('/', slash + 1)) {
    std::string directory = path.substr(0, slash + 1);
    if (!written.insert(directory).second) continue;
    if (!write_header(writer, TarEntry{directory, '5', 0755, 0, {}})) return false;
  }
  return true;
}

}  // namespace

Status write_context_tar(const ContextTree& tree, const BuildManifest& manifest,
                         const TarSink& write) {
  TarWriter writer(write);
  std::set<std::string> directories;
  for (const ManifestFile& file : manifest.files) {
    if (!write_parents(writer, file.path, directories)) return interrupted_error();
    if (!write_header(writer, entry_for(file))) return interrupted_error();
    if (file.symlink) continue;
    if (Status content = write_content(tree, file, writer); !content) return content;
  }
  if (!writer.write(TarWriter::kZeros) || !writer.write(TarWriter::kZeros))
    return interrupted_error();
  return ok_status();
}

}  // namespace run::build
