// Test helpers shared by the dataset reader tests (dataset_test.cc, dataset_folder_test.cc):
// a per-test temporary directory, small tensors, and ReadAll, which reads a whole dataset and
// names errors the way the pipeline does.
#ifndef TINYVERIFY_COMPARE_DATASET_TEST_UTIL_H_
#define TINYVERIFY_COMPARE_DATASET_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "compare/dataset.h"

namespace tv {
namespace verify {
namespace testing_util {

namespace fs = std::filesystem;

class DatasetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tv_dataset_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return (dir_ / name).string(); }
  void Write(const std::string& name, const std::string& bytes) {
    std::ofstream(Path(name), std::ios::binary) << bytes;
  }
  fs::path dir_;
};

inline HostTensor Floats(std::vector<int64_t> shape, int count_from = 0) {
  HostTensor t;
  t.shape = std::move(shape);
  t.bytes.resize(static_cast<size_t>(t.NumElements()) * 4);
  for (int64_t i = 0; i < t.NumElements(); ++i) t.As<float>()[i] = float(count_from + i);
  return t;
}

inline HostTensor Ints(std::vector<int64_t> values) {
  HostTensor t;
  t.dtype = DataType::kInt64;
  t.shape = {static_cast<int64_t>(values.size())};
  t.bytes.resize(values.size() * 8);
  std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return t;
}

// uint8 pixel data stays uint8 in Sample::x (everything else is float32).
inline float At(const HostTensor& x, int64_t i, DataType expect) {
  EXPECT_EQ(x.dtype, expect);
  return x.dtype == DataType::kUInt8 ? x.As<uint8_t>()[i] : x.As<float>()[i];
}

// Reads every sample; returns the error message (named like the pipeline does) or "".
inline std::string ReadAll(const std::string& path, const DatasetOptions& o,
                           std::vector<Sample>* out) {
  std::unique_ptr<Dataset> ds;
  Status s = OpenDataset(path, o, &ds);
  if (!s.ok()) return s.message();
  for (;;) {
    Sample smp;
    bool done = false;
    s = ds->Next(&smp, &done);
    if (!s.ok()) return path + ": " + s.message();  // as the pipeline reports it
    if (done) return "";
    out->push_back(std::move(smp));
  }
}

inline void Le16(std::string* s, uint16_t v) { s->append({char(v & 255), char(v >> 8)}); }
inline void Le32(std::string* s, uint32_t v) {
  Le16(s, uint16_t(v & 0xFFFF));
  Le16(s, uint16_t(v >> 16));
}

}  // namespace testing_util
}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_DATASET_TEST_UTIL_H_
