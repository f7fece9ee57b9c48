#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

Status BuildTranspose(DataType t, const std::vector<int32_t>& in_shape,
                      const std::vector<int32_t>& perm, const std::vector<int32_t>& out_shape,
                      LoadedModel* m) {
  ModelBuilder b;
  int in = b.AddTensor(t, in_shape, QuantSpec::PerTensor(1.0f, 0));
  int p = b.AddConst<int32_t>(DataType::kInt32, {static_cast<int32_t>(perm.size())}, perm);
  int out = b.AddTensor(t, out_shape, QuantSpec::PerTensor(1.0f, 0));
  b.AddOperator(op::kTranspose, {in, p}, {out});
  b.SetGraphIO({in}, {out});
  return m->Load(b.Build());
}

TEST(Transpose, HandChecked2DAnd3D) {
  {
    // [[1, 2, 3], [4, 5, 6]]^T = [[1, 4], [2, 5], [3, 6]]
    LoadedModel m;
    ASSERT_TRUE(BuildTranspose(DataType::kFloat32, {2, 3}, {1, 0}, {3, 2}, &m).ok());
    m.SetInput<float>(0, {1, 2, 3, 4, 5, 6});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<float>(0), (std::vector<float>{1, 4, 2, 5, 3, 6}));
    EXPECT_TRUE(m.interpreter().GuardsIntact());
  }
  {
    // x[a][b][c] = 100a + 10b + c with shape [2, 2, 3]; perm [2, 0, 1]: out[c][a][b].
    LoadedModel m;
    ASSERT_TRUE(BuildTranspose(DataType::kInt16, {2, 2, 3}, {2, 0, 1}, {3, 2, 2}, &m).ok());
    m.SetInput<int16_t>(0, {0, 1, 2, 10, 11, 12, 100, 101, 102, 110, 111, 112});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int16_t>(0),
              (std::vector<int16_t>{0, 10, 100, 110, 1, 11, 101, 111, 2, 12, 102, 112}));
  }
}

TEST(Transpose, RandomPermutationsMatchIndexReference) {
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const int rank = 1 + static_cast<int>(rng() % 5);
    const DataType types[] = {DataType::kInt8, DataType::kInt16, DataType::kFloat32};
    const DataType t = types[seed % 3];
    std::vector<int32_t> shape(rank), perm(rank), out_shape(rank);
    for (int i = 0; i < rank; ++i) {
      shape[i] = 1 + static_cast<int32_t>(rng() % 4);
      perm[i] = i;
    }
    std::shuffle(perm.begin(), perm.end(), rng);
    for (int i = 0; i < rank; ++i) out_shape[i] = shape[perm[i]];
    LoadedModel m;
    Status s = BuildTranspose(t, shape, perm, out_shape, &m);
    ASSERT_TRUE(s.ok()) << s.message();
    const size_t e = DataTypeSize(t);
    const size_t n = m.interpreter().input(0)->bytes / e;
    std::vector<uint8_t> x(n * e);
    for (auto& v : x) v = static_cast<uint8_t>(rng());
    m.SetInput<uint8_t>(0, x);
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    // out[o0..] = in[i] where i[perm[k]] = o[k].
    std::vector<uint8_t> want(n * e);
    for (size_t flat = 0; flat < n; ++flat) {
      std::vector<int32_t> o(rank), i(rank);
      size_t rem = flat;
      for (int k = rank - 1; k >= 0; --k) {
        o[k] = static_cast<int32_t>(rem % out_shape[k]);
        rem /= out_shape[k];
      }
      for (int k = 0; k < rank; ++k) i[perm[k]] = o[k];
      size_t src = 0;
      for (int k = 0; k < rank; ++k) src = src * shape[k] + i[k];
      std::copy(x.begin() + src * e, x.begin() + (src + 1) * e, want.begin() + flat * e);
    }
    EXPECT_EQ(m.Output<uint8_t>(0), want);
    EXPECT_TRUE(m.interpreter().GuardsIntact());
  }
}

TEST(Transpose, RejectsBadModels) {
  LoadedModel m1;
  Status s = BuildTranspose(DataType::kInt8, {2, 3}, {0, 0}, {2, 2}, &m1);  // repeated entry
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("TRANSPOSE"), std::string::npos) << s.message();
  LoadedModel m2;  // wrong output shape
  EXPECT_FALSE(BuildTranspose(DataType::kInt8, {2, 3}, {1, 0}, {2, 3}, &m2).ok());
  LoadedModel m3;  // perm out of range
  EXPECT_FALSE(BuildTranspose(DataType::kInt8, {2, 3}, {1, 2}, {3, 2}, &m3).ok());
  LoadedModel m4;  // TFLM: rank <= 5
  EXPECT_FALSE(BuildTranspose(DataType::kInt8, {1, 1, 1, 1, 1, 2}, {0, 1, 2, 3, 4, 5},
                              {1, 1, 1, 1, 1, 2}, &m4)
                   .ok());
  LoadedModel m5;  // TFLM: float32/int8/int16 only
  EXPECT_FALSE(BuildTranspose(DataType::kInt32, {2, 3}, {1, 0}, {3, 2}, &m5).ok());
  {  // non-constant perm
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {2, 3});
    int p = b.AddTensor(DataType::kInt32, {2});
    int out = b.AddTensor(DataType::kFloat32, {3, 2});
    b.AddOperator(op::kTranspose, {in, p}, {out});
    b.SetGraphIO({in, p}, {out});
    LoadedModel m;
    EXPECT_FALSE(m.Load(b.Build()).ok());
  }
}

}  // namespace
}  // namespace tv
