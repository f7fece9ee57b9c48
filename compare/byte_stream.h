// Sequential byte sources for the dataset readers: plain or gzip files (ISA-L igzip; plain
// files pass through) and entries of a .zip/.npz archive (stored, or deflate
// via igzip raw inflate). All read forward in bounded buffers, so a held-out set larger than
// RAM streams through.
#ifndef TINYVERIFY_COMPARE_BYTE_STREAM_H_
#define TINYVERIFY_COMPARE_BYTE_STREAM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "emulator/status.h"

namespace tv {
namespace verify {

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to n bytes; *got < n only at the end of the stream.
  [[nodiscard]] virtual Status Read(void* dst, size_t n, size_t* got) = 0;
};

// Reads exactly n bytes or fails with "truncated <what>".
[[nodiscard]] Status ReadExact(ByteStream& in, void* dst, size_t n, const char* what);

// A file, transparently gunzipped when it starts with the gzip magic.
[[nodiscard]] Status OpenFileStream(const std::string& path, std::unique_ptr<ByteStream>* out);

// True when the file starts with `magic` (false when unreadable).
bool FileStartsWith(const std::string& path, const void* magic, size_t n);

struct ZipEntry {
  std::string name;
  uint16_t method = 0;  // 0 stored, 8 deflate
  uint64_t compressed_size = 0;
  uint64_t size = 0;
  uint64_t local_header_offset = 0;
};

// Central directory of a .zip (zip64 sizes/offsets understood). Errors are unprefixed.
[[nodiscard]] Status ListZip(const std::string& path, std::vector<ZipEntry>* entries);
[[nodiscard]] Status OpenZipEntry(const std::string& path, const ZipEntry& entry,
                                  std::unique_ptr<ByteStream>* out);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_BYTE_STREAM_H_
