#include <gtest/gtest.h>

#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

tflite::BuiltinOptionsUnion ConcatOpts(
    int32_t axis, tflite::ActivationFunctionType act = tflite::ActivationFunctionType::NONE) {
  tflite::BuiltinOptionsUnion u;
  tflite::ConcatenationOptionsT o;
  o.axis = axis;
  o.fused_activation_function = act;
  u.Set(o);
  return u;
}

TEST(Concatenation, FloatMiddleAxisHandChecked) {
  // a [2, 1, 2] = [[[1, 2]], [[3, 4]]], b [2, 2, 2] = [[[5, 6], [7, 8]], [[9, 10], [11, 12]]]
  // axis 1 -> [[[1, 2], [5, 6], [7, 8]], [[3, 4], [9, 10], [11, 12]]]
  ModelBuilder b;
  int x = b.AddTensor(DataType::kFloat32, {2, 1, 2});
  int y = b.AddTensor(DataType::kFloat32, {2, 2, 2});
  int out = b.AddTensor(DataType::kFloat32, {2, 3, 2});
  b.AddOperator(op::kConcatenation, {x, y}, {out}, ConcatOpts(1));
  b.SetGraphIO({x, y}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<float>(0, {1, 2, 3, 4});
  m.SetInput<float>(1, {5, 6, 7, 8, 9, 10, 11, 12});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Concatenation, Int8NegativeAxisWithConstantInput) {
  // axis -1 of [2, 1] and const [2, 2] (same scale/zero point): rows [a0, c0, c1], [a1, c2, c3].
  ModelBuilder b;
  const QuantSpec q = QuantSpec::PerTensor(0.25f, -7);
  int x = b.AddTensor(DataType::kInt8, {2, 1}, q);
  int c = b.AddConst<int8_t>(DataType::kInt8, {2, 2}, {10, 11, 12, 13}, q);
  int out = b.AddTensor(DataType::kInt8, {2, 3}, q);
  b.AddOperator(op::kConcatenation, {x, c}, {out}, ConcatOpts(-1));
  b.SetGraphIO({x}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<int8_t>(0, {-128, 127});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{-128, 10, 11, 127, 12, 13}));
}

TEST(Concatenation, Int64BoolInt16AndThreeInputsAxis0) {
  for (DataType t : {DataType::kInt64, DataType::kBool, DataType::kInt16, DataType::kInt32}) {
    SCOPED_TRACE(DataTypeName(t));
    ModelBuilder b;
    int x = b.AddTensor(t, {1, 2}, QuantSpec::PerTensor(1.0f, 0));
    int y = b.AddTensor(t, {2, 2}, QuantSpec::PerTensor(1.0f, 0));
    int z = b.AddTensor(t, {1, 2}, QuantSpec::PerTensor(1.0f, 0));
    int out = b.AddTensor(t, {4, 2}, QuantSpec::PerTensor(1.0f, 0));
    b.AddOperator(op::kConcatenation, {x, y, z}, {out}, ConcatOpts(0));
    b.SetGraphIO({x, y, z}, {out});
    LoadedModel m;
    Status s = m.Load(b.Build());
    ASSERT_TRUE(s.ok()) << s.message();
    const size_t e = DataTypeSize(t);
    std::vector<uint8_t> all;
    for (int i = 0; i < 3; ++i) {
      std::vector<uint8_t> v(m.interpreter().input(i)->bytes);
      for (size_t k = 0; k < v.size(); ++k)
        v[k] = static_cast<uint8_t>(t == DataType::kBool ? (k + i) % 2 : 17 * i + k + 1);
      m.SetInput<uint8_t>(i, v);
      all.insert(all.end(), v.begin(), v.end());
    }
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<uint8_t>(0), all) << e;
  }
}

TEST(Concatenation, MicroSpeechPreprocessorChain) {
  // The generic part of TFLM's micro_speech audio_preprocessor: CAST uint32 -> int32,
  // STRIDED_SLICE [5:241], CONCATENATION(const zeros[5], slice, const[16]) on axis 0 and CAST
  // back to uint32. Expected by hand: bins 0..4 become 0, 5..240 pass through, 241..256 take
  // the constant tail.
  ModelBuilder b;
  int in = b.AddTensor(DataType::kUInt32, {257});
  int as_int = b.AddTensor(DataType::kInt32, {257});
  int begin = b.AddConst<int32_t>(DataType::kInt32, {1}, {5});
  int end = b.AddConst<int32_t>(DataType::kInt32, {1}, {241});
  int stride = b.AddConst<int32_t>(DataType::kInt32, {1}, {1});
  int sliced = b.AddTensor(DataType::kInt32, {236});
  int head = b.AddConst<int32_t>(DataType::kInt32, {5}, {0, 0, 0, 0, 0});
  std::vector<int32_t> tail_values(16);
  for (int i = 0; i < 16; ++i) tail_values[i] = 1000 + i;
  int tail = b.AddConst<int32_t>(DataType::kInt32, {16}, tail_values);
  int joined = b.AddTensor(DataType::kInt32, {257});
  int out = b.AddTensor(DataType::kUInt32, {257});
  b.AddOperator(op::kCast, {in}, {as_int}, {}, 2);
  tflite::BuiltinOptionsUnion ss;
  ss.Set(tflite::StridedSliceOptionsT());
  b.AddOperator(op::kStridedSlice, {as_int, begin, end, stride}, {sliced}, ss);
  b.AddOperator(op::kConcatenation, {head, sliced, tail}, {joined}, ConcatOpts(0));
  b.AddOperator(op::kCast, {joined}, {out}, {}, 2);
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  std::vector<uint32_t> x(257), want(257);
  for (uint32_t i = 0; i < 257; ++i) x[i] = 3000000000u + i * 11;  // > INT32_MAX: wraps twice
  for (uint32_t i = 0; i < 257; ++i) {
    want[i] = i < 5 ? 0u : (i < 241 ? x[i] : 1000u + (i - 241));
  }
  m.SetInput<uint32_t>(0, x);
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<uint32_t>(0), want);
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

Status LoadConcat(DataType t, QuantSpec qa, QuantSpec qb, QuantSpec qo, int32_t axis = 0,
                  tflite::ActivationFunctionType act = tflite::ActivationFunctionType::NONE,
                  std::vector<int32_t> b_shape = {1, 2}) {
  ModelBuilder b;
  int x = b.AddTensor(t, {1, 2}, qa);
  int y = b.AddTensor(t, b_shape, qb);
  int out = b.AddTensor(t, {2, 2}, qo);
  b.AddOperator(op::kConcatenation, {x, y}, {out}, ConcatOpts(axis, act));
  b.SetGraphIO({x, y}, {out});
  LoadedModel m;
  return m.Load(b.Build());
}

TEST(Concatenation, RejectsWhatTflmRejects) {
  const QuantSpec q = QuantSpec::PerTensor(0.5f, 1);
  ASSERT_TRUE(LoadConcat(DataType::kInt8, q, q, q).ok());
  // int8 input with another scale: TFLM refuses (no requantization).
  Status s = LoadConcat(DataType::kInt8, q, QuantSpec::PerTensor(0.25f, 1), q);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("CONCATENATION"), std::string::npos) << s.message();
  EXPECT_FALSE(LoadConcat(DataType::kInt8, q, QuantSpec::PerTensor(0.5f, 2), q).ok());
  // int16 needs zero point 0 everywhere.
  EXPECT_FALSE(LoadConcat(DataType::kInt16, q, q, q).ok());
  // fused activation, bad axis, shape mismatch, unsupported type.
  const QuantSpec z = QuantSpec::PerTensor(1.0f, 0);
  EXPECT_FALSE(
      LoadConcat(DataType::kFloat32, {}, {}, {}, 0, tflite::ActivationFunctionType::RELU).ok());
  EXPECT_FALSE(LoadConcat(DataType::kFloat32, {}, {}, {}, 2).ok());
  EXPECT_FALSE(LoadConcat(DataType::kFloat32, {}, {}, {}, -3).ok());
  EXPECT_FALSE(
      LoadConcat(DataType::kFloat32, {}, {}, {}, 0, tflite::ActivationFunctionType::NONE, {1, 3})
          .ok());
  EXPECT_FALSE(LoadConcat(DataType::kUInt8, z, z, z).ok());
}

}  // namespace
}  // namespace tv
