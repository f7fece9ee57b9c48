#include "compare/array_dataset.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace tv {
namespace verify {
namespace {

TensorView View(const std::vector<uint8_t>& bytes, DataType type, std::vector<int64_t> shape) {
  TensorView v;
  v.dtype = type;
  v.shape = std::move(shape);
  v.data = bytes.data();
  v.size = bytes.size();
  return v;
}

TEST(ArrayDatasetTest, ReadsUint8ImagesAsStoredWithLabels) {
  std::vector<uint8_t> pixels(3 * 2 * 2);
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<uint8_t>(i * 10);
  std::unique_ptr<Dataset> ds;
  ASSERT_TRUE(OpenArrayDataset(View(pixels, DataType::kUInt8, {3, 2, 2}), {4, 5, 6}, {}, &ds).ok());
  EXPECT_STREQ(ds->format(), "array");
  EXPECT_EQ(ds->NumSamples(), 3);
  EXPECT_TRUE(ds->integer_pixels());
  EXPECT_EQ(ds->sample_shape(), (std::vector<int64_t>{2, 2}));
  Sample s;
  bool done = false;
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(ds->Next(&s, &done).ok());
    ASSERT_FALSE(done);
    EXPECT_EQ(s.id, std::to_string(i));
    EXPECT_EQ(s.label, 4 + i);
    ASSERT_EQ(s.x.dtype, DataType::kUInt8);  // pixels stay uint8 (InputMapper converts)
    EXPECT_EQ(s.x.As<uint8_t>()[3], (i * 4 + 3) * 10);
  }
  ASSERT_TRUE(ds->Next(&s, &done).ok());
  EXPECT_TRUE(done);
}

TEST(ArrayDatasetTest, RegressionTargets) {
  std::vector<uint8_t> bytes(2 * 3 * sizeof(float));
  std::unique_ptr<Dataset> ds;
  ASSERT_TRUE(
      OpenArrayDataset(View(bytes, DataType::kFloat32, {2, 3}), {}, {{0.5f}, {1.5f}}, &ds).ok());
  EXPECT_FALSE(ds->integer_pixels());
  Sample s;
  bool done = false;
  ASSERT_TRUE(ds->Next(&s, &done).ok());
  ASSERT_TRUE(ds->Next(&s, &done).ok());
  EXPECT_EQ(s.label, -1);
  EXPECT_EQ(s.target, std::vector<float>{1.5f});
}

TEST(ArrayDatasetTest, RejectsBadShapesAndLabelCounts) {
  std::vector<uint8_t> bytes(4);
  std::unique_ptr<Dataset> ds;
  Status s = OpenArrayDataset(View(bytes, DataType::kUInt8, {4}), {1, 2}, {}, &ds);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("2 labels for 4 samples"), std::string::npos);
  EXPECT_FALSE(OpenArrayDataset(View(bytes, DataType::kUInt8, {}), {}, {}, &ds).ok());
  EXPECT_FALSE(OpenArrayDataset(View(bytes, DataType::kUInt8, {0, 4}), {}, {}, &ds).ok());
  EXPECT_FALSE(OpenArrayDataset(View(bytes, DataType::kUInt8, {2, 4}), {}, {}, &ds).ok());
  EXPECT_FALSE(OpenArrayDataset(View(bytes, DataType::kString, {4}), {}, {}, &ds).ok());
}

}  // namespace
}  // namespace verify
}  // namespace tv
