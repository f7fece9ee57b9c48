#include "compare/byte_stream.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tv {
namespace verify {

namespace {

constexpr size_t kBufferBytes = 1 << 16;

uint16_t Le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t Le32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
uint64_t Le64(const uint8_t* p) { return uint64_t{Le32(p)} | (uint64_t{Le32(p + 4)} << 32); }

class GzFileStream : public ByteStream {
 public:
  explicit GzFileStream(gzFile f) : f_(f) {}
  ~GzFileStream() override { gzclose(f_); }
  Status Read(void* dst, size_t n, size_t* got) override {
    *got = 0;
    auto* d = static_cast<uint8_t*>(dst);
    while (*got < n) {
      const unsigned want = static_cast<unsigned>(std::min<size_t>(n - *got, 1u << 30));
      const int r = gzread(f_, d + *got, want);
      if (r < 0) {
        int err = 0;
        const char* msg = gzerror(f_, &err);
        return Status::Error("read error: %s", msg ? msg : "gzip stream is corrupt");
      }
      if (r == 0) {
        // gzread returns 0 both at a clean end and on a cut-short gzip member.
        int err = 0;
        const char* msg = gzerror(f_, &err);
        if (err != Z_OK && err != Z_STREAM_END)
          return Status::Error("gzip data is corrupt or truncated (%s)", msg ? msg : "?");
        break;
      }
      *got += static_cast<size_t>(r);
    }
    return Status::Ok();
  }

 private:
  gzFile f_;
};

// Bytes [begin, begin + size) of a file.
class RangeReader {
 public:
  ~RangeReader() {
    if (f_ != nullptr) std::fclose(f_);
  }
  Status Open(const std::string& path, uint64_t begin, uint64_t size) {
    f_ = std::fopen(path.c_str(), "rb");
    TV_CHECK_OR_RETURN(f_ != nullptr, "cannot open file: %s", std::strerror(errno));
    TV_CHECK_OR_RETURN(fseeko(f_, static_cast<off_t>(begin), SEEK_SET) == 0,
                       "cannot seek to offset %llu", static_cast<unsigned long long>(begin));
    left_ = size;
    return Status::Ok();
  }
  // Reads up to n bytes of the range; 0 at its end.
  Status Read(uint8_t* dst, size_t n, size_t* got) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(n, left_));
    *got = want == 0 ? 0 : std::fread(dst, 1, want, f_);
    TV_CHECK_OR_RETURN(*got == want, "archive member is truncated (file ends early)");
    left_ -= *got;
    return Status::Ok();
  }

 private:
  std::FILE* f_ = nullptr;
  uint64_t left_ = 0;
};

class StoredEntryStream : public ByteStream {
 public:
  RangeReader range;
  Status Read(void* dst, size_t n, size_t* got) override {
    return range.Read(static_cast<uint8_t*>(dst), n, got);
  }
};

class DeflateEntryStream : public ByteStream {
 public:
  DeflateEntryStream() : in_(kBufferBytes) {}
  ~DeflateEntryStream() override {
    if (initialized_) inflateEnd(&z_);
  }
  Status Init(const std::string& path, const ZipEntry& e, uint64_t data_offset) {
    TV_RETURN_IF_ERROR(range_.Open(path, data_offset, e.compressed_size));
    std::memset(&z_, 0, sizeof(z_));
    TV_CHECK_OR_RETURN(inflateInit2(&z_, -MAX_WBITS) == Z_OK, "zlib inflateInit2 failed");
    initialized_ = true;
    expected_ = e.size;
    return Status::Ok();
  }
  Status Read(void* dst, size_t n, size_t* got) override {
    *got = 0;
    z_.next_out = static_cast<Bytef*>(dst);
    while (*got < n && !finished_) {
      if (z_.avail_in == 0) {
        size_t filled = 0;
        TV_RETURN_IF_ERROR(range_.Read(in_.data(), in_.size(), &filled));
        z_.next_in = in_.data();
        z_.avail_in = static_cast<uInt>(filled);
        input_done_ = filled == 0;
      }
      const size_t want = std::min<size_t>(n - *got, 1u << 30);
      z_.avail_out = static_cast<uInt>(want);
      const int r = inflate(&z_, Z_NO_FLUSH);
      const size_t produced = want - z_.avail_out;
      *got += produced;
      produced_ += produced;
      if (r == Z_STREAM_END) {
        finished_ = true;
      } else if (r == Z_BUF_ERROR && input_done_) {
        return Status::Error("deflate data is truncated");
      } else if (r != Z_OK && r != Z_BUF_ERROR) {
        return Status::Error("deflate data is corrupt (%s)", z_.msg ? z_.msg : "zlib error");
      }
    }
    TV_CHECK_OR_RETURN(!finished_ || produced_ == expected_,
                       "archive member inflates to %llu bytes, directory says %llu",
                       static_cast<unsigned long long>(produced_),
                       static_cast<unsigned long long>(expected_));
    return Status::Ok();
  }

 private:
  RangeReader range_;
  std::vector<uint8_t> in_;
  z_stream z_;
  bool initialized_ = false, finished_ = false, input_done_ = false;
  uint64_t expected_ = 0, produced_ = 0;
};

Status ReadAt(std::FILE* f, uint64_t offset, void* dst, size_t n, const char* what) {
  TV_CHECK_OR_RETURN(
      fseeko(f, static_cast<off_t>(offset), SEEK_SET) == 0 && std::fread(dst, 1, n, f) == n,
      "truncated zip archive (%s)", what);
  return Status::Ok();
}

}  // namespace

Status ReadExact(ByteStream& in, void* dst, size_t n, const char* what) {
  size_t got = 0;
  TV_RETURN_IF_ERROR(in.Read(dst, n, &got));
  TV_CHECK_OR_RETURN(got == n, "truncated %s: needed %zu more bytes, file ends after %zu", what, n,
                     got);
  return Status::Ok();
}

Status OpenFileStream(const std::string& path, std::unique_ptr<ByteStream>* out) {
  std::FILE* probe = std::fopen(path.c_str(), "rb");
  TV_CHECK_OR_RETURN(probe != nullptr, "cannot open file: %s", std::strerror(errno));
  std::fclose(probe);
  gzFile f = gzopen(path.c_str(), "rb");
  TV_CHECK_OR_RETURN(f != nullptr, "cannot open file");
  gzbuffer(f, kBufferBytes);
  *out = std::make_unique<GzFileStream>(f);
  return Status::Ok();
}

bool FileStartsWith(const std::string& path, const void* magic, size_t n) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  std::vector<uint8_t> head(n);
  const bool ok = std::fread(head.data(), 1, n, f) == n && std::memcmp(head.data(), magic, n) == 0;
  std::fclose(f);
  return ok;
}

Status ListZip(const std::string& path, std::vector<ZipEntry>* entries) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  TV_CHECK_OR_RETURN(f != nullptr, "cannot open file: %s", std::strerror(errno));
  TV_CHECK_OR_RETURN(fseeko(f.get(), 0, SEEK_END) == 0, "cannot seek");
  const uint64_t file_size = static_cast<uint64_t>(ftello(f.get()));
  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  const uint64_t tail = std::min<uint64_t>(file_size, 22 + 65535);
  std::vector<uint8_t> buf(tail);
  TV_RETURN_IF_ERROR(ReadAt(f.get(), file_size - tail, buf.data(), tail, "end record"));
  int64_t eocd = -1;
  for (int64_t i = static_cast<int64_t>(tail) - 22; i >= 0; --i)
    if (Le32(&buf[i]) == 0x06054b50) {
      eocd = i;
      break;
    }
  TV_CHECK_OR_RETURN(eocd >= 0,
                     "not a zip archive (no end-of-central-directory record; "
                     "truncated .npz?)");
  const uint8_t* e = &buf[eocd];
  uint64_t count = Le16(e + 10), dir_size = Le32(e + 12), dir_offset = Le32(e + 16);
  const uint64_t eocd_pos = file_size - tail + static_cast<uint64_t>(eocd);
  if ((count == 0xFFFF || dir_offset == 0xFFFFFFFF) && eocd_pos >= 20) {
    uint8_t loc[20];
    TV_RETURN_IF_ERROR(ReadAt(f.get(), eocd_pos - 20, loc, 20, "zip64 locator"));
    TV_CHECK_OR_RETURN(Le32(loc) == 0x07064b50, "zip64 archive without a zip64 locator");
    uint8_t rec[56];
    TV_RETURN_IF_ERROR(ReadAt(f.get(), Le64(loc + 8), rec, 56, "zip64 end record"));
    TV_CHECK_OR_RETURN(Le32(rec) == 0x06064b50, "corrupt zip64 end record");
    count = Le64(rec + 32);
    dir_size = Le64(rec + 40);
    dir_offset = Le64(rec + 48);
  }
  TV_CHECK_OR_RETURN(dir_offset <= file_size && dir_size <= file_size - dir_offset &&
                         dir_size <= (uint64_t{1} << 28),
                     "zip central directory lies outside the file (truncated archive?)");
  std::vector<uint8_t> dir(dir_size);
  TV_RETURN_IF_ERROR(ReadAt(f.get(), dir_offset, dir.data(), dir.size(), "central directory"));
  entries->clear();
  size_t p = 0;
  for (uint64_t i = 0; i < count; ++i) {
    TV_CHECK_OR_RETURN(p + 46 <= dir.size() && Le32(&dir[p]) == 0x02014b50,
                       "corrupt zip central directory (entry %llu)",
                       static_cast<unsigned long long>(i));
    const uint8_t* h = &dir[p];
    ZipEntry z;
    z.method = Le16(h + 10);
    z.compressed_size = Le32(h + 20);
    z.size = Le32(h + 24);
    const size_t name_len = Le16(h + 28), extra_len = Le16(h + 30), comment_len = Le16(h + 32);
    z.local_header_offset = Le32(h + 42);
    TV_CHECK_OR_RETURN(p + 46 + name_len + extra_len + comment_len <= dir.size(),
                       "corrupt zip central directory (entry %llu overruns it)",
                       static_cast<unsigned long long>(i));
    z.name.assign(reinterpret_cast<const char*>(h + 46), name_len);
    // Zip64 extra field: the 64-bit values present are those whose 32-bit field is all ones.
    const uint8_t* x = h + 46 + name_len;
    for (size_t q = 0; q + 4 <= extra_len;) {
      const uint16_t id = Le16(x + q), len = Le16(x + q + 2);
      if (q + 4 + len > extra_len) break;
      if (id == 0x0001) {
        size_t r = q + 4;
        auto take = [&](uint64_t* v) {
          if (*v == 0xFFFFFFFF && r + 8 <= q + 4 + len) {
            *v = Le64(x + r);
            r += 8;
          }
        };
        take(&z.size);
        take(&z.compressed_size);
        take(&z.local_header_offset);
      }
      q += 4 + len;
    }
    entries->push_back(z);
    p += 46 + name_len + extra_len + comment_len;
  }
  return Status::Ok();
}

Status OpenZipEntry(const std::string& path, const ZipEntry& entry,
                    std::unique_ptr<ByteStream>* out) {
  uint8_t local[30];
  {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    TV_CHECK_OR_RETURN(f != nullptr, "cannot open file: %s", std::strerror(errno));
    TV_RETURN_IF_ERROR(ReadAt(f.get(), entry.local_header_offset, local, 30, "local header"));
  }
  TV_CHECK_OR_RETURN(Le32(local) == 0x04034b50, "corrupt zip local header for '%s'",
                     entry.name.c_str());
  const uint64_t data = entry.local_header_offset + 30 + Le16(local + 26) + Le16(local + 28);
  if (entry.method == 0) {
    TV_CHECK_OR_RETURN(entry.compressed_size == entry.size,
                       "stored zip member '%s' has inconsistent sizes", entry.name.c_str());
    auto s = std::make_unique<StoredEntryStream>();
    TV_RETURN_IF_ERROR(s->range.Open(path, data, entry.size));
    *out = std::move(s);
    return Status::Ok();
  }
  TV_CHECK_OR_RETURN(entry.method == 8,
                     "zip member '%s' uses compression method %u (only stored and deflate are "
                     "supported)",
                     entry.name.c_str(), entry.method);
  auto s = std::make_unique<DeflateEntryStream>();
  TV_RETURN_IF_ERROR(s->Init(path, entry, data));
  *out = std::move(s);
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
