#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;

template <typename From, typename To>
std::vector<To> RunCast(DataType from, DataType to, const std::vector<From>& x) {
  ModelBuilder b;
  const int32_t n = static_cast<int32_t>(x.size());
  int in = b.AddTensor(from, {n});
  int out = b.AddTensor(to, {n});
  b.AddOperator(op::kCast, {in}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return {};
  m.SetInput<From>(0, x);
  EXPECT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  return m.Output<To>(0);
}

TEST(Cast, Int16ToFloatAndBack) {
  // The micro_speech preprocessor casts int16 audio to float32 and back.
  EXPECT_EQ((RunCast<int16_t, float>(DataType::kInt16, DataType::kFloat32, {-32768, -1, 0, 7})),
            (std::vector<float>{-32768.f, -1.f, 0.f, 7.f}));
  // float -> int16 truncates toward zero: 2.9 -> 2, -2.9 -> -2, -0.5 -> 0.
  EXPECT_EQ((RunCast<float, int16_t>(DataType::kFloat32, DataType::kInt16,
                                     {2.9f, -2.9f, -0.5f, 32767.0f})),
            (std::vector<int16_t>{2, -2, 0, 32767}));
}

TEST(Cast, IntegerNarrowingWraps) {
  // int32 -> int8 keeps the low byte: 300 -> 44, -129 -> 127, 128 -> -128.
  EXPECT_EQ((RunCast<int32_t, int8_t>(DataType::kInt32, DataType::kInt8, {300, -129, 128, -5})),
            (std::vector<int8_t>{44, 127, -128, -5}));
  // int8 -> uint32: -1 -> 4294967295.
  EXPECT_EQ((RunCast<int8_t, uint32_t>(DataType::kInt8, DataType::kUInt32, {-1, 5})),
            (std::vector<uint32_t>{4294967295u, 5u}));
  // uint32 -> int32 reinterprets; uint32 -> float rounds to nearest (2^32-1 -> 2^32).
  EXPECT_EQ((RunCast<uint32_t, int32_t>(DataType::kUInt32, DataType::kInt32, {4294967295u, 1u})),
            (std::vector<int32_t>{-1, 1}));
  EXPECT_EQ((RunCast<uint32_t, float>(DataType::kUInt32, DataType::kFloat32, {4294967295u})),
            (std::vector<float>{4294967296.0f}));
}

TEST(Cast, BoolInputAndX86OutOfRangeFloats) {
  EXPECT_EQ((RunCast<uint8_t, int32_t>(DataType::kBool, DataType::kInt32, {0, 1, 1})),
            (std::vector<int32_t>{0, 1, 1}));
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // x86 cvttss2si: NaN / out of range -> INT32_MIN; for int8 that is its low byte 0.
  EXPECT_EQ((RunCast<float, int32_t>(DataType::kFloat32, DataType::kInt32, {3e9f, -3e9f, nan})),
            (std::vector<int32_t>{INT32_MIN, INT32_MIN, INT32_MIN}));
  // 300.7 -> 300 -> low byte 44; -200.2 -> -200 -> 56.
  EXPECT_EQ((RunCast<float, int8_t>(DataType::kFloat32, DataType::kInt8, {300.7f, -200.2f, nan})),
            (std::vector<int8_t>{44, 56, 0}));
  // uint32 goes through a 64-bit conversion: -1.5 -> -1 -> 4294967295; 5e9 -> 705032704.
  EXPECT_EQ((RunCast<float, uint32_t>(DataType::kFloat32, DataType::kUInt32, {-1.5f, 5e9f})),
            (std::vector<uint32_t>{4294967295u, 705032704u}));
}

TEST(Cast, RejectsUnsupportedTypesAndSizes) {
  auto load = [](DataType from, DataType to, int32_t out_n) {
    ModelBuilder b;
    int in = b.AddTensor(from, {3});
    int out = b.AddTensor(to, {out_n});
    b.AddOperator(op::kCast, {in}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    return m.Load(b.Build());
  };
  Status s = load(DataType::kInt8, DataType::kBool, 3);  // TFLM cannot write bool
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("CAST"), std::string::npos) << s.message();
  EXPECT_FALSE(load(DataType::kInt64, DataType::kInt32, 3).ok());
  EXPECT_FALSE(load(DataType::kUInt8, DataType::kInt32, 3).ok());
  EXPECT_FALSE(load(DataType::kInt32, DataType::kInt64, 3).ok());
  EXPECT_FALSE(load(DataType::kInt32, DataType::kFloat32, 4).ok());
}

}  // namespace
}  // namespace tv
