#include "compare/byte_stream.h"

#include <isa-l/igzip_lib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tv {
namespace verify {

namespace {

uint16_t Le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t Le32(const uint8_t* p) {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}
uint64_t Le64(const uint8_t* p) { return uint64_t{Le32(p)} | (uint64_t{Le32(p + 4)} << 32); }

// Bytes [begin, begin + size) of a file (size = kToEnd: up to the end of the file).
class RangeReader {
 public:
  static constexpr uint64_t kToEnd = ~uint64_t{0};
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
    TV_CHECK_OR_RETURN(!std::ferror(f_), "read error: %s", std::strerror(errno));
    TV_CHECK_OR_RETURN(*got == want || left_ == kToEnd,
                       "archive member is truncated (file ends early)");
    if (left_ != kToEnd) left_ -= *got;
    return Status::Ok();
  }

 private:
  std::FILE* f_ = nullptr;
  uint64_t left_ = 0;
};

// An uncompressed file, or a stored zip member.
class PlainStream : public ByteStream {
 public:
  RangeReader range;
  Status Read(void* dst, size_t n, size_t* got) override {
    return range.Read(static_cast<uint8_t*>(dst), n, got);
  }
};

const char* IsalError(int r) {
  switch (r) {
    case ISAL_INVALID_BLOCK:
      return "invalid deflate block";
    case ISAL_INVALID_SYMBOL:
      return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK:
      return "invalid back-reference distance";
    case ISAL_INVALID_WRAPPER:
      return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD:
      return "unsupported compression method";
    case ISAL_INCORRECT_CHECKSUM:
      return "checksum mismatch";
    default:
      return "inflate error";
  }
}

// Streaming inflate with ISA-L (igzip), faster than zlib's inflate (reading Fashion-MNIST t10k:
// 28 -> 20 ms), which made gunzipping an IDX set the largest cost of `verify` outside the
// models. Two wrappers:
// gzip files (concatenated members are read in turn, as gzip(1) does; bytes after the last
// member that do not start another one are ignored, like zlib's gzread) and raw deflate
// zip members (whose inflated size the central directory states).
class InflateStream : public ByteStream {
 public:
  InflateStream(bool gzip, uint64_t expected)
      : gzip_(gzip),
        expected_(expected),
        in_(new uint8_t[kBufferBytes]),
        out_(new uint8_t[kBufferBytes]) {
    isal_inflate_init(&state_);
    state_.crc_flag = gzip ? ISAL_GZIP : ISAL_DEFLATE;
  }
  RangeReader range;
  Status Read(void* dst, size_t n, size_t* got) override {
    *got = 0;
    auto* d = static_cast<uint8_t*>(dst);
    while (*got < n) {
      if (out_pos_ == out_end_) {
        if (finished_) break;
        TV_RETURN_IF_ERROR(Inflate());
        continue;
      }
      const size_t take = std::min(n - *got, out_end_ - out_pos_);
      std::memcpy(d + *got, out_.get() + out_pos_, take);
      out_pos_ += take;
      *got += take;
    }
    return Status::Ok();
  }

 private:
  // Refills out_ with at least one byte, or finishes the stream. igzip decodes much faster into
  // a large output buffer than into the few hundred bytes a dataset reader asks for at a time.
  Status Inflate() {
    out_pos_ = out_end_ = 0;
    while (out_end_ == 0 && !finished_) {
      if (state_.avail_in == 0 && !input_done_) TV_RETURN_IF_ERROR(Refill());
      if (state_.block_state == ISAL_BLOCK_FINISH) {
        TV_RETURN_IF_ERROR(NextMember());
        continue;
      }
      state_.next_out = out_.get();
      state_.avail_out = static_cast<uint32_t>(kBufferBytes);
      const uint32_t avail_before = state_.avail_in;
      const int r = isal_inflate(&state_);
      out_end_ = kBufferBytes - state_.avail_out;
      produced_ += out_end_;
      if (r < 0) return Status::Error("%s data is corrupt (%s)", Kind(), IsalError(r));
      if (state_.block_state == ISAL_BLOCK_FINISH || out_end_ != 0) continue;
      if (state_.avail_in == avail_before) {
        // No progress: out of input for good (cut short), or stuck on bytes it cannot use.
        if (state_.avail_in == 0 && input_done_)
          return Status::Error("%s data is truncated", Kind());
        if (state_.avail_in != 0) return Status::Error("%s data is corrupt", Kind());
      }
    }
    TV_CHECK_OR_RETURN(gzip_ || !finished_ || produced_ == expected_,
                       "archive member inflates to %llu bytes, directory says %llu",
                       static_cast<unsigned long long>(produced_),
                       static_cast<unsigned long long>(expected_));
    return Status::Ok();
  }

  // Not zero-filled (nothing reads bytes before they are written): fresh pages cost page
  // faults, a large part of a short run's start-up on a VM.
  static constexpr size_t kBufferBytes = 1 << 16;
  const char* Kind() const { return gzip_ ? "gzip" : "deflate"; }
  // Reads more input behind the unread bytes, which move to the front of in_.
  Status Refill() {
    const size_t kept = state_.avail_in;
    if (kept != 0) std::memmove(in_.get(), state_.next_in, kept);
    size_t filled = 0;
    TV_RETURN_IF_ERROR(range.Read(in_.get() + kept, kBufferBytes - kept, &filled));
    state_.next_in = in_.get();
    state_.avail_in = static_cast<uint32_t>(kept + filled);
    input_done_ = filled == 0;
    return Status::Ok();
  }
  // After a finished member: another gzip member follows, or the stream ends.
  Status NextMember() {
    if (!gzip_) {
      finished_ = true;
      return Status::Ok();
    }
    if (state_.avail_in < 2 && !input_done_) TV_RETURN_IF_ERROR(Refill());
    if (state_.avail_in < 2 || state_.next_in[0] != 0x1f || state_.next_in[1] != 0x8b) {
      finished_ = true;
      return Status::Ok();
    }
    uint8_t* next = state_.next_in;
    const uint32_t avail = state_.avail_in;
    isal_inflate_reset(&state_);
    state_.crc_flag = ISAL_GZIP;
    state_.next_in = next;
    state_.avail_in = avail;
    return Status::Ok();
  }

  const bool gzip_;
  const uint64_t expected_;
  std::unique_ptr<uint8_t[]> in_, out_;
  size_t out_pos_ = 0, out_end_ = 0;  // unread inflated bytes: out_[out_pos_, out_end_)
  inflate_state state_;
  bool finished_ = false, input_done_ = false;
  uint64_t produced_ = 0;
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
  uint8_t magic[2] = {0, 0};
  const bool gzip = std::fread(magic, 1, 2, probe) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  std::fclose(probe);
  if (gzip) {
    auto s = std::make_unique<InflateStream>(true, 0);
    TV_RETURN_IF_ERROR(s->range.Open(path, 0, RangeReader::kToEnd));
    *out = std::move(s);
  } else {
    auto s = std::make_unique<PlainStream>();
    TV_RETURN_IF_ERROR(s->range.Open(path, 0, RangeReader::kToEnd));
    *out = std::move(s);
  }
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
    auto s = std::make_unique<PlainStream>();
    TV_RETURN_IF_ERROR(s->range.Open(path, data, entry.size));
    *out = std::move(s);
    return Status::Ok();
  }
  TV_CHECK_OR_RETURN(entry.method == 8,
                     "zip member '%s' uses compression method %u (only stored and deflate are "
                     "supported)",
                     entry.name.c_str(), entry.method);
  auto s = std::make_unique<InflateStream>(false, entry.size);
  TV_RETURN_IF_ERROR(s->range.Open(path, data, entry.compressed_size));
  *out = std::move(s);
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
