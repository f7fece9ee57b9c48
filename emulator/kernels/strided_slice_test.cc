#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

struct SliceSpec {
  std::vector<int32_t> begin, end, strides;
  int32_t begin_mask = 0, end_mask = 0, shrink = 0, ellipsis = 0, new_axis = 0;
};

tflite::BuiltinOptionsUnion Opts(const SliceSpec& s) {
  tflite::BuiltinOptionsUnion u;
  tflite::StridedSliceOptionsT o;
  o.begin_mask = s.begin_mask;
  o.end_mask = s.end_mask;
  o.shrink_axis_mask = s.shrink;
  o.ellipsis_mask = s.ellipsis;
  o.new_axis_mask = s.new_axis;
  u.Set(o);
  return u;
}

// Builds a float32 slice model; `m` receives it. Returns the load status.
Status BuildFloat(const std::vector<int32_t>& in_shape, const std::vector<int32_t>& out_shape,
                  const SliceSpec& s, LoadedModel* m, DataType t = DataType::kFloat32) {
  ModelBuilder b;
  const int32_t r = static_cast<int32_t>(s.begin.size());
  int in = b.AddTensor(t, in_shape);
  int bt = b.AddConst<int32_t>(DataType::kInt32, {r}, s.begin);
  int et = b.AddConst<int32_t>(DataType::kInt32, {r}, s.end);
  int st = b.AddConst<int32_t>(DataType::kInt32, {r}, s.strides);
  int out = b.AddTensor(t, out_shape);
  b.AddOperator(op::kStridedSlice, {in, bt, et, st}, {out}, Opts(s));
  b.SetGraphIO({in}, {out});
  return m->Load(b.Build());
}

std::vector<float> Iota(int n) {
  std::vector<float> v(n);
  for (int i = 0; i < n; ++i) v[i] = static_cast<float>(i);
  return v;
}

std::vector<float> RunFloat(const std::vector<int32_t>& in_shape,
                            const std::vector<int32_t>& out_shape, const SliceSpec& s) {
  LoadedModel m;
  Status st = BuildFloat(in_shape, out_shape, s, &m);
  EXPECT_TRUE(st.ok()) << st.message();
  if (!st.ok()) return {};
  int n = 1;
  for (int d : in_shape) n *= d;
  m.SetInput<float>(0, Iota(n));
  EXPECT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  // An empty output has no storage (data may be null): don't hand it to memcpy.
  if (m.interpreter().output(0)->bytes == 0) return {};
  return m.Output<float>(0);
}

TEST(StridedSlice, HandCheckedOneDimensional) {
  // x = [0..7]
  EXPECT_EQ(RunFloat({8}, {3}, {{1}, {6}, {2}}), (std::vector<float>{1, 3, 5}));
  // negative begin/end: x[-3:-1] = [5, 6]
  EXPECT_EQ(RunFloat({8}, {2}, {{-3}, {-1}, {1}}), (std::vector<float>{5, 6}));
  // reverse with both masks: x[::-3] = [7, 4, 1]
  EXPECT_EQ(RunFloat({8}, {3}, {{0}, {0}, {-3}, 1, 1}), (std::vector<float>{7, 4, 1}));
  // out-of-range end clamps: x[6:100] = [6, 7]; x[5:-100:-2] = [5, 3, 1]
  EXPECT_EQ(RunFloat({8}, {2}, {{6}, {100}, {1}}), (std::vector<float>{6, 7}));
  EXPECT_EQ(RunFloat({8}, {3}, {{5}, {-100}, {-2}}), (std::vector<float>{5, 3, 1}));
  // empty result: x[5:2] has 0 elements.
  EXPECT_EQ(RunFloat({8}, {0}, {{5}, {2}, {1}}), (std::vector<float>{}));
}

TEST(StridedSlice, ShrinkAxisHandChecked) {
  // x = [[0, 1, 2], [3, 4, 5]]; x[1, :] (shrink axis 0) = [3, 4, 5];
  // x[:, -1] (shrink axis 1, negative begin) = [2, 5].
  EXPECT_EQ(RunFloat({2, 3}, {3}, {{1, 0}, {2, 3}, {1, 1}, 0, 0, 1}),
            (std::vector<float>{3, 4, 5}));
  EXPECT_EQ(RunFloat({2, 3}, {2}, {{0, -1}, {2, 0}, {1, 1}, 1, 0, 2}), (std::vector<float>{2, 5}));
  // shrink everything -> scalar x[1, 2] = 5.
  EXPECT_EQ(RunFloat({2, 3}, {}, {{1, 2}, {2, 3}, {1, 1}, 0, 0, 3}), (std::vector<float>{5}));
}

TEST(StridedSlice, ExtremeIndicesClamp) {
  const int32_t lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
  // x[INT_MIN:INT_MAX] is the whole axis; x[INT_MAX:INT_MIN:INT_MIN] starts at the last element
  // and takes a single step.
  EXPECT_EQ(RunFloat({4}, {4}, {{lo}, {hi}, {1}}), (std::vector<float>{0, 1, 2, 3}));
  EXPECT_EQ(RunFloat({4}, {1}, {{hi}, {lo}, {lo}}), (std::vector<float>{3}));
  EXPECT_EQ(RunFloat({4}, {1}, {{lo}, {hi}, {hi}}), (std::vector<float>{0}));
}

TEST(StridedSlice, EllipsisAndNewAxisMasksAreIgnoredLikeTflm) {
  // TFLM forces ellipsis_mask/new_axis_mask to 0: the slice is read as plain begin/end/strides.
  SliceSpec s{{0, 1}, {2, 3}, {1, 1}};
  s.ellipsis = 1;
  s.new_axis = 2;
  EXPECT_EQ(RunFloat({2, 3}, {2, 2}, s), (std::vector<float>{1, 2, 4, 5}));
}

// Python-style slicing (TF semantics without ellipsis/new axis), written independently of the
// kernel: per axis the list of selected indices.
std::vector<int32_t> AxisIndices(int32_t n, int32_t b, int32_t e, int32_t s, bool bm, bool em,
                                 bool shrink) {
  // A shrunk axis takes the single index begin; TFLM (like its Prepare) lets begin_mask
  // override it with the first element.
  if (shrink) return {bm ? 0 : (b < 0 ? b + n : b)};
  auto norm = [&](int32_t v, bool lo_side) {
    if (v < 0) v += n;
    if (s > 0) return v < 0 ? 0 : (v > n ? n : v);
    (void)lo_side;
    return v < -1 ? -1 : (v > n - 1 ? n - 1 : v);
  };
  const int32_t start = bm ? (s > 0 ? 0 : n - 1) : norm(b, true);
  const int32_t stop = em ? (s > 0 ? n : -1) : norm(e, false);
  std::vector<int32_t> idx;
  for (int32_t i = start; s > 0 ? i < stop : i > stop; i += s) idx.push_back(i);
  return idx;
}

TEST(StridedSlice, RandomInt16MatchesPythonSlicing) {
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    const int rank = 1 + static_cast<int>(rng() % 4);
    std::vector<int32_t> shape(rank), out_shape;
    SliceSpec s;
    std::vector<std::vector<int32_t>> idx(rank);
    for (int i = 0; i < rank; ++i) {
      const int32_t n = 1 + static_cast<int32_t>(rng() % 5);
      shape[i] = n;
      int32_t stride = static_cast<int32_t>(rng() % 3) + 1;
      const bool shrink = rng() % 5 == 0;
      // Converters emit stride 1 for shrunk axes; TFLM's Eval never fills a shrunk axis with
      // a negative stride (see RejectsBadModels).
      if (!shrink && rng() % 3 == 0) stride = -stride;
      int32_t b = static_cast<int32_t>(rng() % (2 * n + 3)) - n - 1;
      if (shrink) b = static_cast<int32_t>(rng() % (2 * n)) - n;  // valid index
      const int32_t e = static_cast<int32_t>(rng() % (2 * n + 3)) - n - 1;
      const bool bm = rng() % 4 == 0, em = rng() % 4 == 0;
      s.begin.push_back(b);
      s.end.push_back(e);
      s.strides.push_back(stride);
      s.begin_mask |= bm << i;
      s.end_mask |= em << i;
      s.shrink |= shrink << i;
      idx[i] = AxisIndices(n, b, e, stride, bm, em, shrink);
      if (!shrink) out_shape.push_back(static_cast<int32_t>(idx[i].size()));
    }
    ModelBuilder b;
    int in = b.AddTensor(DataType::kInt16, shape, QuantSpec::PerTensor(1.0f, 0));
    int bt = b.AddConst<int32_t>(DataType::kInt32, {rank}, s.begin);
    int et = b.AddConst<int32_t>(DataType::kInt32, {rank}, s.end);
    int st = b.AddConst<int32_t>(DataType::kInt32, {rank}, s.strides);
    int out = b.AddTensor(DataType::kInt16, out_shape, QuantSpec::PerTensor(1.0f, 0));
    b.AddOperator(op::kStridedSlice, {in, bt, et, st}, {out}, Opts(s));
    b.SetGraphIO({in}, {out});
    LoadedModel m;
    Status status = m.Load(b.Build());
    ASSERT_TRUE(status.ok()) << status.message();
    std::vector<int16_t> x(m.interpreter().input(0)->bytes / 2);
    for (size_t k = 0; k < x.size(); ++k) x[k] = static_cast<int16_t>(k * 3 - 100);
    m.SetInput<int16_t>(0, x);
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    // Expected: row-major walk over the index lists.
    std::vector<int16_t> want;
    std::vector<size_t> pos(rank, 0);
    bool empty = false;
    for (int i = 0; i < rank; ++i) empty |= idx[i].empty();
    while (!empty) {
      size_t flat = 0;
      for (int i = 0; i < rank; ++i) flat = flat * shape[i] + idx[i][pos[i]];
      want.push_back(x[flat]);
      int k = rank - 1;
      while (k >= 0 && ++pos[k] == idx[k].size()) pos[k--] = 0;
      if (k < 0) break;
    }
    if (want.empty()) {
      EXPECT_EQ(m.interpreter().output(0)->bytes, 0u);
    } else {
      EXPECT_EQ(m.Output<int16_t>(0), want);
    }
    EXPECT_TRUE(m.interpreter().GuardsIntact());
  }
}

TEST(StridedSlice, Int8AndBoolCopyRawValues) {
  for (DataType t : {DataType::kInt8, DataType::kBool, DataType::kInt32}) {
    SCOPED_TRACE(DataTypeName(t));
    LoadedModel m;
    Status s = BuildFloat({2, 2}, {2, 1}, {{0, 1}, {2, 2}, {1, 1}}, &m, t);
    ASSERT_TRUE(s.ok()) << s.message();
    const size_t e = DataTypeSize(t);
    std::vector<uint8_t> x(4 * e);
    for (size_t k = 0; k < x.size(); ++k)
      x[k] = static_cast<uint8_t>(t == DataType::kBool ? k % 2 : k + 1);
    m.SetInput<uint8_t>(0, x);
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    std::vector<uint8_t> want;  // elements 1 and 3
    want.insert(want.end(), x.begin() + e, x.begin() + 2 * e);
    want.insert(want.end(), x.begin() + 3 * e, x.end());
    EXPECT_EQ(m.Output<uint8_t>(0), want);
  }
}

TEST(StridedSlice, RejectsBadModels) {
  LoadedModel m1;
  Status s = BuildFloat({8}, {4}, {{1}, {6}, {2}}, &m1);  // shape should be [3]
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("STRIDED_SLICE"), std::string::npos) << s.message();
  LoadedModel m2;
  EXPECT_FALSE(BuildFloat({8}, {0}, {{1}, {6}, {0}}, &m2).ok());  // zero stride
  LoadedModel m3;                                                 // TFLM supports rank <= 4 only
  EXPECT_FALSE(BuildFloat({1, 1, 1, 1, 2}, {1, 1, 1, 1, 2},
                          {{0, 0, 0, 0, 0}, {1, 1, 1, 1, 2}, {1, 1, 1, 1, 1}}, &m3)
                   .ok());
  LoadedModel m4;  // shrink with begin past the end: TFLM's Eval would write nothing
  EXPECT_FALSE(BuildFloat({2, 3}, {3}, {{5, 0}, {6, 3}, {1, 1}, 0, 0, 1}, &m4).ok());
  LoadedModel m6;  // shrunk axis with a negative stride: TFLM's Eval loop never runs
  EXPECT_FALSE(BuildFloat({2, 3}, {3}, {{1, 0}, {2, 3}, {-1, 1}, 0, 0, 1}, &m6).ok());
  LoadedModel m5;  // unsupported type
  EXPECT_FALSE(BuildFloat({8}, {3}, {{1}, {6}, {2}}, &m5, DataType::kInt64).ok());
  {  // non-constant begin
    ModelBuilder b;
    int in = b.AddTensor(DataType::kFloat32, {4});
    int bt = b.AddTensor(DataType::kInt32, {1});
    int et = b.AddConst<int32_t>(DataType::kInt32, {1}, {4});
    int st = b.AddConst<int32_t>(DataType::kInt32, {1}, {1});
    int out = b.AddTensor(DataType::kFloat32, {4});
    b.AddOperator(op::kStridedSlice, {in, bt, et, st}, {out});
    b.SetGraphIO({in, bt}, {out});
    LoadedModel m;
    EXPECT_FALSE(m.Load(b.Build()).ok());
  }
}

}  // namespace
}  // namespace tv
