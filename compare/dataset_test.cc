#include "compare/dataset.h"

#include <gtest/gtest.h>
#include <stb/stb_image_write.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>

#include "compare/dataset_test_util.h"
#include "compare/npy.h"
#include "tests/support/shared_paths.h"

namespace tv {
namespace verify {
namespace {

namespace fs = std::filesystem;
using testing_util::At;
using testing_util::DatasetTest;
using testing_util::Floats;
using testing_util::Ints;
using testing_util::Le16;
using testing_util::Le32;
using testing_util::ReadAll;

// A minimal zip writer: members stored (method 0) or raw-deflated (method 8).
std::string Zip(const std::vector<std::pair<std::string, std::string>>& members, bool deflated) {
  std::string out, dir;
  for (const auto& [name, data] : members) {
    std::string payload = data;
    if (deflated) {
      z_stream z{};
      deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
      payload.resize(deflateBound(&z, data.size()));
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
      z.avail_in = static_cast<uInt>(data.size());
      z.next_out = reinterpret_cast<Bytef*>(payload.data());
      z.avail_out = static_cast<uInt>(payload.size());
      deflate(&z, Z_FINISH);
      payload.resize(z.total_out);
      deflateEnd(&z);
    }
    const uint32_t crc = crc32(0, reinterpret_cast<const Bytef*>(data.data()), data.size());
    const uint32_t offset = static_cast<uint32_t>(out.size());
    out += "PK\x03\x04";
    Le16(&out, 20), Le16(&out, 0), Le16(&out, deflated ? 8 : 0), Le32(&out, 0), Le32(&out, crc);
    Le32(&out, payload.size()), Le32(&out, data.size()), Le16(&out, name.size()), Le16(&out, 0);
    out += name + payload;
    dir += "PK\x01\x02";
    Le16(&dir, 20), Le16(&dir, 20), Le16(&dir, 0), Le16(&dir, deflated ? 8 : 0), Le32(&dir, 0);
    Le32(&dir, crc), Le32(&dir, payload.size()), Le32(&dir, data.size());
    Le16(&dir, name.size()), Le16(&dir, 0), Le16(&dir, 0), Le16(&dir, 0), Le16(&dir, 0);
    Le32(&dir, 0), Le32(&dir, offset);
    dir += name;
  }
  const uint32_t dir_offset = static_cast<uint32_t>(out.size());
  out += dir + "PK\x05\x06";
  Le16(&out, 0), Le16(&out, 0), Le16(&out, members.size()), Le16(&out, members.size());
  Le32(&out, dir.size()), Le32(&out, dir_offset), Le16(&out, 0);
  return out;
}

std::string Idx(uint8_t type, std::vector<uint32_t> dims, const std::string& payload) {
  std::string s{char(0), char(0), char(type), char(dims.size())};
  for (uint32_t d : dims) s.append({char(d >> 24), char(d >> 16), char(d >> 8), char(d)});
  return s + payload;
}

TEST_F(DatasetTest, NpyWithLabels) {
  ASSERT_TRUE(WriteNpy(Path("x.npy"), Floats({3, 2, 2})).ok());
  ASSERT_TRUE(WriteNpy(Path("y.npy"), Ints({2, 0, 1})).ok());
  std::vector<Sample> s;
  DatasetOptions o;
  o.labels_path = Path("y.npy");
  ASSERT_EQ(ReadAll(Path("x.npy"), o, &s), "");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[2].x.shape, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(s[2].x.As<float>()[3], 11.0f);
  EXPECT_EQ(s[0].label, 2);
  EXPECT_EQ(s[1].id, "1");
}

TEST_F(DatasetTest, NpzStoredAndDeflated) {
  for (bool deflate : {false, true}) {
    const std::string x = EncodeNpy(Floats({4, 3}, 1)), y = EncodeNpy(Ints({0, 1, 2, 3}));
    Write("d.npz", Zip({{"x.npy", x}, {"y.npy", y}}, deflate));
    std::vector<Sample> s;
    ASSERT_EQ(ReadAll(Path("d.npz"), {}, &s), "") << deflate;
    ASSERT_EQ(s.size(), 4u);
    EXPECT_EQ(s[3].label, 3);
    EXPECT_EQ(s[3].x.As<float>()[2], 12.0f);
  }
}

TEST_F(DatasetTest, NpzFloatLabelsAreTargets) {
  HostTensor y = Floats({2, 2});
  Write("d.npz", Zip({{"x.npy", EncodeNpy(Floats({2, 3}))}, {"y.npy", EncodeNpy(y)}}, true));
  std::vector<Sample> s;
  ASSERT_EQ(ReadAll(Path("d.npz"), {}, &s), "");
  EXPECT_EQ(s[1].label, -1);
  EXPECT_EQ(s[1].target, (std::vector<float>{2, 3}));
}

// NaN/Inf has no int8 quantization: a sample holding one is an error naming it, whatever the
// format (it used to be counted as one clipped value and pass).
TEST_F(DatasetTest, NonFiniteSamplesAreRefused) {
  HostTensor x = Floats({3, 4});
  x.As<float>()[6] = std::numeric_limits<float>::quiet_NaN();
  ASSERT_TRUE(WriteNpy(Path("x.npy"), x).ok());
  Write("x.csv", "1,2,3\n4,inf,6\n");
  std::vector<Sample> s;
  std::string err = ReadAll(Path("x.npy"), {}, &s);
  EXPECT_NE(err.find("x.npy: sample 1: value 2 is NaN"), std::string::npos) << err;
  s.clear();
  err = ReadAll(Path("x.csv"), {}, &s);
  EXPECT_NE(err.find("x.csv: sample 1: value 1 is infinite"), std::string::npos) << err;
}

TEST_F(DatasetTest, CsvLabelColumnOnOtherFormatsIsNoted) {
  ASSERT_TRUE(WriteNpy(Path("x.npy"), Floats({2, 3})).ok());
  DatasetOptions o;
  o.csv_label_column = 1;
  std::unique_ptr<Dataset> ds;
  ASSERT_TRUE(OpenDataset(Path("x.npy"), o, &ds).ok());
  bool noted = false;
  for (const std::string& n : ds->notes())
    noted = noted || n.find("is ignored") != std::string::npos;
  EXPECT_TRUE(noted);
}

// One-hot label rows (Keras' to_categorical) are class labels, not regression targets.
TEST_F(DatasetTest, OneHotLabelsAreClasses) {
  HostTensor y = Floats({3, 3});
  const float one_hot[9] = {0, 0, 1, 1, 0, 0, 0, 1, 0};
  std::memcpy(y.bytes.data(), one_hot, sizeof(one_hot));
  Write("d.npz", Zip({{"x.npy", EncodeNpy(Floats({3, 2}))}, {"y.npy", EncodeNpy(y)}}, false));
  std::vector<Sample> s;
  ASSERT_EQ(ReadAll(Path("d.npz"), {}, &s), "");
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].label, 2);
  EXPECT_EQ(s[1].label, 0);
  EXPECT_EQ(s[2].label, 1);
  EXPECT_TRUE(s[2].target.empty());
}

TEST_F(DatasetTest, IdxGzipWithLabelsBeside) {
  std::string pixels(2 * 3 * 3, '\0');
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = char(200 + i);
  const std::string images = Idx(0x08, {2, 3, 3}, pixels);
  const std::string labels = Idx(0x08, {2}, std::string{char(7), char(4)});
  gzFile f = gzopen(Path("t-images-idx3-ubyte.gz").c_str(), "wb");
  gzwrite(f, images.data(), images.size());
  gzclose(f);
  Write("t-labels-idx1-ubyte", labels);
  std::vector<Sample> s;
  ASSERT_EQ(ReadAll(Path("t-images-idx3-ubyte.gz"), {}, &s), "");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].label, 4);
  EXPECT_EQ(s[1].x.shape, (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(At(s[1].x, 8, DataType::kUInt8), 217.0f);  // uint8 stays 0..255
}

// gzip checks its CRC and length only at the end, after the last sample's bytes: a file cut
// by one byte, or with a wrong CRC, is still an error although every sample decoded.
TEST_F(DatasetTest, IdxGzipTrailerIsChecked) {
  const std::string images = Idx(0x08, {2, 3, 3}, std::string(18, char(9)));
  gzFile f = gzopen(Path("g-images-idx3-ubyte.gz").c_str(), "wb");
  gzwrite(f, images.data(), images.size());
  gzclose(f);
  std::string gz;
  {
    std::ifstream in(Path("g-images-idx3-ubyte.gz"), std::ios::binary);
    gz.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::vector<Sample> s;
  Write("g-images-idx3-ubyte.gz", gz.substr(0, gz.size() - 1));
  std::string err = ReadAll(Path("g-images-idx3-ubyte.gz"), {}, &s);
  EXPECT_NE(err.find("after the last sample: gzip data is truncated"), std::string::npos) << err;
  gz[gz.size() - 8] = static_cast<char>(gz[gz.size() - 8] ^ 1);  // CRC32
  Write("g-images-idx3-ubyte.gz", gz);
  err = ReadAll(Path("g-images-idx3-ubyte.gz"), {}, &s);
  EXPECT_NE(err.find("checksum"), std::string::npos) << err;
}

TEST_F(DatasetTest, CsvHeaderAndLabelColumn) {
  Write("d.csv", "a,label,b\n1,3,2\n4,0,5\n\n");
  std::vector<Sample> s;
  ASSERT_EQ(ReadAll(Path("d.csv"), {}, &s), "");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].label, 3);
  EXPECT_EQ(s[1].x.As<float>()[1], 5.0f);
  Write("e.csv", "1,2,9\r\n3,4,8");  // no header, last column, CRLF, no final newline
  s.clear();
  ASSERT_EQ(ReadAll(Path("e.csv"), {}, &s), "");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[1].label, 8);
}

// Semicolon/tab-separated files split on their delimiter; a label column holds one kind of
// value for every row (a later non-integer label used to become a lone regression target).
TEST_F(DatasetTest, CsvDelimitersAndOneLabelKind) {
  Write("semi.csv", "1.5;2;7\n3;4;1\n");
  Write("tab.csv", "1.5\t2\t7\n");
  for (const char* name : {"semi.csv", "tab.csv"}) {
    std::vector<Sample> s;
    ASSERT_EQ(ReadAll(Path(name), {}, &s), "") << name;
    EXPECT_EQ(s[0].x.shape, (std::vector<int64_t>{2})) << name;
    EXPECT_EQ(s[0].x.As<float>()[0], 1.5f) << name;
    EXPECT_EQ(s[0].label, 7) << name;
  }
  Write("header_only.csv", "a,b,label\n\n");
  std::unique_ptr<Dataset> ds;
  const Status st = OpenDataset(Path("header_only.csv"), {}, &ds);
  EXPECT_NE(
      std::string(st.message()).find("header_only.csv: CSV file has a header row but no data"),
      std::string::npos)
      << st.message();
  Write("mixed.csv", "1,2,3\n4,5,2.5\n");
  std::vector<Sample> s;
  const std::string err = ReadAll(Path("mixed.csv"), {}, &s);
  EXPECT_NE(err.find("mixed.csv: line 2: label '2.5' is not a class index"), std::string::npos)
      << err;
  Write("target.csv", "x,target\n1,3\n2,2.5\n");
  s.clear();
  ASSERT_EQ(ReadAll(Path("target.csv"), {}, &s), "");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].label, -1);
  EXPECT_EQ(s[0].target, std::vector<float>{3.0f});
  EXPECT_EQ(s[1].target, std::vector<float>{2.5f});
}

// Every malformed file gives an error naming the file, never a crash or a silent success.
TEST_F(DatasetTest, MalformedFilesNameTheFile) {
  const std::string npy = EncodeNpy(Floats({4, 3}));
  const std::string npz = Zip({{"x.npy", npy}}, true);
  const std::string idx = Idx(0x08, {3, 2, 2}, std::string(12, 'a'));
  struct Case {
    std::string name, bytes, expect;
  } cases[] = {
      {"trunc.npy", npy.substr(0, npy.size() - 5), "truncated"},
      {"header.npy", npy.substr(0, 20), "truncated"},
      {"scalar.npy", EncodeNpy(HostTensor{DataType::kFloat32, {}, {0, 0, 0, 0}}), "scalar"},
      {"trunc.npz", npz.substr(0, npz.size() - 30), "zip"},
      {"cut.npz", Zip({{"x.npy", npy}}, true).substr(0, 60) + npz.substr(60 + 10), ""},
      {"nox.npz", Zip({{"a.npy", npy}, {"b.npy", npy}}, false), "no array 'x'"},
      {"trunc-images-idx3-ubyte", idx.substr(0, idx.size() - 1), "truncated"},
      {"magic-images-idx3-ubyte", "\x01\x02\x03\x04", "not an IDX"},
      {"bad.csv", "1,2,3\n4,x,6\n", "not a number"},
      {"ragged.csv", "1,2,3\n4,5\n", "columns"},
      {"empty.csv", "", "empty"},
      {"data.bin", "hello", "unknown data format"},
  };
  for (const Case& c : cases) {
    Write(c.name, c.bytes);
    std::vector<Sample> s;
    const std::string err = ReadAll(Path(c.name), {}, &s);
    EXPECT_NE(err, "") << c.name;
    EXPECT_NE(err.find(c.name), std::string::npos) << c.name << ": " << err;
    EXPECT_NE(err.find(c.expect), std::string::npos) << c.name << ": " << err;
  }
  // Labels that do not match the data, and a corrupt image in a folder.
  ASSERT_TRUE(WriteNpy(Path("x.npy"), Floats({3, 2})).ok());
  ASSERT_TRUE(WriteNpy(Path("y.npy"), Ints({1, 2})).ok());
  DatasetOptions o;
  o.labels_path = Path("y.npy");
  std::vector<Sample> s;
  std::string err = ReadAll(Path("x.npy"), o, &s);
  EXPECT_NE(err.find("2 labels but the data has 3"), std::string::npos) << err;
  fs::create_directories(dir_ / "imgs" / "a");
  Write("imgs/a/broken.png", "\x89PNG\r\n\x1a\nxxxx");
  err = ReadAll(Path("imgs"), {}, &s);
  EXPECT_NE(err.find("broken.png"), std::string::npos) << err;
  err = ReadAll(Path("missing.npz"), {}, &s);
  EXPECT_NE(err.find("missing.npz"), std::string::npos) << err;
}

TEST(SharedDatasets, FashionMnistAndDigits) {
  const std::string shared = tv::testing::SharedDir();
  if (shared.empty()) GTEST_SKIP() << "no shared dir";
  const std::string images = shared + "/data/fashion-mnist/t10k-images-idx3-ubyte.gz";
  if (!fs::exists(images)) GTEST_SKIP() << "no Fashion-MNIST";
  std::unique_ptr<Dataset> ds;
  ASSERT_TRUE(OpenDataset(images, {}, &ds).ok());
  EXPECT_EQ(ds->NumSamples(), 10000);
  EXPECT_EQ(ds->sample_shape(), (std::vector<int64_t>{28, 28}));
  int64_t n = 0, label_sum = 0;
  for (;; ++n) {
    Sample s;
    bool done = false;
    ASSERT_TRUE(ds->Next(&s, &done).ok());
    if (done) break;
    label_sum += s.label;
  }
  EXPECT_EQ(n, 10000);
  EXPECT_EQ(label_sum, 45000);  // 1000 of each class 0..9
  std::vector<Sample> digits;
  ASSERT_EQ(ReadAll(shared + "/data/sklearn-digits/digits.csv.gz", {}, &digits), "");
  ASSERT_EQ(digits.size(), 1797u);
  EXPECT_EQ(digits[0].x.shape, (std::vector<int64_t>{64}));
  EXPECT_EQ(digits[0].label, 0);
}

}  // namespace
}  // namespace verify
}  // namespace tv
