// The gzip path of OpenFileStream (ISA-L) against files zlib writes: contents, concatenated
// members, trailing bytes, every truncation point and random corruption.
#include "compare/byte_stream.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace tv {
namespace verify {
namespace {

std::vector<uint8_t> Gzip(const std::vector<uint8_t>& data, int level) {
  z_stream z{};
  EXPECT_EQ(deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  std::vector<uint8_t> out(deflateBound(&z, data.size()) + 64);
  z.next_in = const_cast<Bytef*>(data.data());
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

// Compressible but not trivial: runs of small values, like image pixels.
std::vector<uint8_t> SampleBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = (rng() % 4 == 0) ? static_cast<uint8_t>(rng() % 32) : 0;
  return v;
}

class ByteStreamTest : public ::testing::Test {
 protected:
  std::string Write(const std::vector<uint8_t>& bytes) {
    const std::string path = (std::filesystem::temp_directory_path() /
                              ("tv_byte_stream_" + std::to_string(::getpid()) + ".bin"))
                                 .string();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    EXPECT_NE(f, nullptr);
    if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
    path_ = path;
    return path;
  }
  void TearDown() override {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  // Reads the whole stream in pieces of random size; the status of the first failing read.
  Status ReadAllOf(const std::vector<uint8_t>& file, std::vector<uint8_t>* out, uint32_t seed) {
    std::unique_ptr<ByteStream> in;
    TV_RETURN_IF_ERROR(OpenFileStream(Write(file), &in));
    std::mt19937 rng(seed);
    out->clear();
    for (;;) {
      const size_t want = 1 + rng() % 70000;
      const size_t at = out->size();
      out->resize(at + want);
      size_t got = 0;
      TV_RETURN_IF_ERROR(in->Read(out->data() + at, want, &got));
      out->resize(at + got);
      if (got < want) return Status::Ok();
    }
  }
  std::string path_;
};

TEST_F(ByteStreamTest, GzipMatchesWhatZlibWrote) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, size_t{1} << 20}) {
    const uint32_t seed = static_cast<uint32_t>(n) + 7;
    SCOPED_TRACE("size " + std::to_string(n) + " seed " + std::to_string(seed));
    const std::vector<uint8_t> data = SampleBytes(n, seed);
    for (int level : {0, 1, 9}) {
      std::vector<uint8_t> back;
      ASSERT_TRUE(ReadAllOf(Gzip(data, level), &back, seed).ok());
      EXPECT_EQ(back, data) << "level " << level;
    }
  }
}

TEST_F(ByteStreamTest, PlainFilesPassThrough) {
  const std::vector<uint8_t> data = SampleBytes(200000, 3);
  std::vector<uint8_t> back;
  ASSERT_TRUE(ReadAllOf(data, &back, 3).ok());
  EXPECT_EQ(back, data);
}

TEST_F(ByteStreamTest, ConcatenatedMembersAndTrailingBytes) {
  const std::vector<uint8_t> a = SampleBytes(300000, 1), b = SampleBytes(5000, 2);
  std::vector<uint8_t> file = Gzip(a, 6), second = Gzip(b, 6);
  file.insert(file.end(), second.begin(), second.end());
  std::vector<uint8_t> both = a;
  both.insert(both.end(), b.begin(), b.end());
  std::vector<uint8_t> back;
  ASSERT_TRUE(ReadAllOf(file, &back, 11).ok());
  EXPECT_EQ(back, both);
  // Zero padding after the last member (tape blocks, some uploaders) is not data.
  file.insert(file.end(), 512, 0);
  ASSERT_TRUE(ReadAllOf(file, &back, 12).ok());
  EXPECT_EQ(back, both);
}

TEST_F(ByteStreamTest, EveryTruncationIsAnError) {
  const std::vector<uint8_t> file = Gzip(SampleBytes(4000, 5), 6);
  std::vector<uint8_t> back;
  // Two bytes are needed to recognise gzip at all; shorter files read as plain bytes. Every
  // cut inside the header and trailer, every 5th inside the deflate data.
  for (size_t cut = 2; cut < file.size(); cut += (cut < 64 || cut + 64 > file.size()) ? 1 : 5) {
    const Status s = ReadAllOf({file.begin(), file.begin() + static_cast<int64_t>(cut)}, &back,
                               static_cast<uint32_t>(cut));
    ASSERT_FALSE(s.ok()) << "cut at " << cut << " of " << file.size();
    EXPECT_NE(std::string(s.message()).find("gzip data is"), std::string::npos) << s.message();
  }
}

TEST_F(ByteStreamTest, CorruptionIsDetectedOrHarmless) {
  const std::vector<uint8_t> data = SampleBytes(50000, 9);
  const std::vector<uint8_t> good = Gzip(data, 6);
  const uint32_t seed = 20261126;
  std::mt19937 rng(seed);
  int detected = 0;
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<uint8_t> bad = good;
    const size_t at = 2 + rng() % (bad.size() - 2);  // keep the magic: exercise the inflater
    bad[at] ^= static_cast<uint8_t>(1u << (rng() % 8));
    std::vector<uint8_t> back;
    const Status s = ReadAllOf(bad, &back, seed + static_cast<uint32_t>(trial));
    if (!s.ok()) {
      ++detected;
    } else {
      // Flips in header fields the format does not check (mtime, OS) leave the data intact.
      EXPECT_EQ(back, data) << "seed " << seed << " trial " << trial << " byte " << at;
    }
  }
  EXPECT_GT(detected, 250) << "seed " << seed;
}

}  // namespace
}  // namespace verify
}  // namespace tv
