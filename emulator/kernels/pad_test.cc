#include <gtest/gtest.h>

#include <random>
#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

TEST(Pad, Int8PadsWithOutputZeroPoint) {
  // input [1, 2, 2, 1] = [[1, 2], [3, 4]], paddings H (1, 1), W (0, 1); zero point -5.
  // Expected by hand (rows of the 4x3 output):
  //   -5 -5 -5 / 1 2 -5 / 3 4 -5 / -5 -5 -5
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 2, 2, 1}, QuantSpec::PerTensor(0.1f, -5));
  int pads = b.AddConst<int32_t>(DataType::kInt32, {4, 2}, {0, 0, 1, 1, 0, 1, 0, 0});
  int out = b.AddTensor(DataType::kInt8, {1, 4, 3, 1}, QuantSpec::PerTensor(0.1f, -5));
  b.AddOperator(op::kPad, {in, pads}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<int8_t>(0, {1, 2, 3, 4});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{-5, -5, -5, 1, 2, -5, 3, 4, -5, -5, -5, -5}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Pad, Int16PadsWithZeroNotZeroPoint) {
  // TFLM's int16 PAD ignores the zero point and pads with 0.
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt16, {2}, QuantSpec::PerTensor(1.0f, 7));
  int pads = b.AddConst<int32_t>(DataType::kInt32, {1, 2}, {2, 1});
  int out = b.AddTensor(DataType::kInt16, {5}, QuantSpec::PerTensor(1.0f, 7));
  b.AddOperator(op::kPad, {in, pads}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<int16_t>(0, {-300, 300});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int16_t>(0), (std::vector<int16_t>{0, 0, -300, 300, 0}));
}

TEST(Pad, FloatAndInt32PadWithZero) {
  {
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {1, 2});
    int pads = b.AddConst<int32_t>(DataType::kInt32, {2, 2}, {1, 0, 0, 1});
    int out = b.AddTensor(DataType::kFloat32, {2, 3});
    b.AddOperator(op::kPad, {in, pads}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    ASSERT_TRUE(m.Load(b.Build()).ok());
    m.SetInput<float>(0, {1.5f, -2.5f});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<float>(0), (std::vector<float>{0, 0, 0, 1.5f, -2.5f, 0}));
  }
  {
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt32, {1, 1, 1, 1, 2});
    int pads = b.AddConst<int32_t>(DataType::kInt32, {5, 2}, {1, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    int out = b.AddTensor(DataType::kInt32, {2, 1, 1, 1, 3});
    b.AddOperator(op::kPad, {in, pads}, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    ASSERT_TRUE(m.Load(b.Build()).ok());
    m.SetInput<int32_t>(0, {-7, 9});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int32_t>(0), (std::vector<int32_t>{0, 0, 0, -7, 9, 0}));
  }
}

// Straightforward index-based reference: out[o] = in[o - before] when inside, else pad.
std::vector<int16_t> ReferencePad(const std::vector<int32_t>& in_shape,
                                  const std::vector<int32_t>& pads, const std::vector<int16_t>& in,
                                  int16_t pad_value) {
  const size_t r = in_shape.size();
  std::vector<int32_t> out_shape(r);
  size_t total = 1;
  for (size_t i = 0; i < r; ++i) {
    out_shape[i] = in_shape[i] + pads[2 * i] + pads[2 * i + 1];
    total *= static_cast<size_t>(out_shape[i]);
  }
  std::vector<int16_t> out(total);
  for (size_t flat = 0; flat < total; ++flat) {
    size_t rem = flat, in_flat = 0, stride = 1;
    bool inside = true;
    std::vector<int32_t> idx(r);
    for (size_t k = r; k-- > 0;) {
      idx[k] = static_cast<int32_t>(rem % static_cast<size_t>(out_shape[k]));
      rem /= static_cast<size_t>(out_shape[k]);
    }
    for (size_t k = r; k-- > 0;) {
      const int32_t j = idx[k] - pads[2 * k];
      if (j < 0 || j >= in_shape[k]) inside = false;
      in_flat += static_cast<size_t>(j) * stride;
      stride *= static_cast<size_t>(in_shape[k]);
    }
    out[flat] = inside ? in[in_flat] : pad_value;
  }
  return out;
}

TEST(Pad, RandomShapesMatchIndexReference) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const int rank = 1 + static_cast<int>(rng() % 5);
    std::vector<int32_t> in_shape(rank), out_shape(rank), pads(2 * rank);
    for (int i = 0; i < rank; ++i) {
      in_shape[i] = 1 + static_cast<int32_t>(rng() % 4);
      pads[2 * i] = static_cast<int32_t>(rng() % 3);
      pads[2 * i + 1] = static_cast<int32_t>(rng() % 3);
      out_shape[i] = in_shape[i] + pads[2 * i] + pads[2 * i + 1];
    }
    const bool v2 = seed % 2 == 0;
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt16, in_shape, QuantSpec::PerTensor(1.0f, 0));
    int p = b.AddConst<int32_t>(DataType::kInt32, {rank, 2}, pads);
    int out = b.AddTensor(DataType::kInt16, out_shape, QuantSpec::PerTensor(1.0f, 0));
    std::vector<int32_t> inputs = {in, p};
    if (v2) inputs.push_back(b.AddConst<int16_t>(DataType::kInt16, {}, {-1234}));
    b.AddOperator(v2 ? op::kPadV2 : op::kPad, inputs, {out});
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    Status s = m.Load(b.Build());
    ASSERT_TRUE(s.ok()) << s.message();
    std::vector<int16_t> x(m.interpreter().input(0)->bytes / 2);
    for (auto& v : x) v = static_cast<int16_t>(rng());
    m.SetInput<int16_t>(0, x);
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int16_t>(0), ReferencePad(in_shape, pads, x, v2 ? -1234 : 0));
    EXPECT_TRUE(m.interpreter().GuardsIntact());
  }
}

Status LoadPad(DataType t, std::vector<int32_t> pads, std::vector<int32_t> out_shape,
               bool const_pads = true) {
  ModelBuilder b;
  int in = b.AddTensor(t, {2, 2}, QuantSpec::PerTensor(1.0f, 0));
  int p = const_pads ? b.AddConst<int32_t>(DataType::kInt32, {2, 2}, pads)
                     : b.AddTensor(DataType::kInt32, {2, 2});
  int out = b.AddTensor(t, out_shape, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kPad, {in, p}, {out});
  b.SetGraphIO(const_pads ? std::vector<int32_t>{in} : std::vector<int32_t>{in, p}, {out});
  LoadedModel m;
  return m.Load(b.Build());
}

TEST(Pad, RejectsBadModels) {
  ASSERT_TRUE(LoadPad(DataType::kInt8, {0, 0, 1, 1}, {2, 4}).ok());
  Status s = LoadPad(DataType::kInt8, {0, 0, 1, 1}, {2, 5});  // output shape mismatch
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("PAD"), std::string::npos) << s.message();
  EXPECT_FALSE(LoadPad(DataType::kInt8, {0, 0, -1, 1}, {2, 2}).ok());        // negative
  EXPECT_FALSE(LoadPad(DataType::kInt8, {0, 0, 1, 1}, {2, 4}, false).ok());  // not constant
  EXPECT_FALSE(LoadPad(DataType::kUInt8, {0, 0, 1, 1}, {2, 4}).ok());        // type
  EXPECT_FALSE(LoadPad(DataType::kInt64, {0, 0, 1, 1}, {2, 4}).ok());        // type
}

}  // namespace
}  // namespace tv
