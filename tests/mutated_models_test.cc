// Hostile-input corpus for the .tflite loader: deterministic truncations, bit flips and
// crafted inconsistencies of small models built here (no ../shared needed). Every variant
// must either load+run or fail with an error Status — never crash (CI runs this under ASan).
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

ModelBuilder TwoLayerInt8() {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kInt8, {1, 4}, QuantSpec::PerTensor(0.05f, -3));
  int w1 = b.AddConst<int8_t>(DataType::kInt8, {3, 4}, {1, -2, 3, -4, 5, -6, 7, -8, 9, 10, 11, 12},
                              QuantSpec::PerTensor(0.02f, 0));
  int b1 = b.AddConst<int32_t>(DataType::kInt32, {3}, {100, -50, 7}, QuantSpec::PerTensor(0.001f, 0));
  int h = b.AddTensor(DataType::kInt8, {1, 3}, QuantSpec::PerTensor(0.1f, 2));
  int w2 = b.AddConst<int8_t>(DataType::kInt8, {2, 3}, {3, 1, -1, 4, -5, 9},
                              QuantSpec{{0.01f, 0.03f}, {0, 0}, 0});
  int out = b.AddTensor(DataType::kInt8, {1, 2}, QuantSpec::PerTensor(0.2f, 0));
  b.AddOperator(op::kFullyConnected, {in, w1, b1}, {h});
  b.AddOperator(op::kFullyConnected, {h, w2, -1}, {out});
  b.SetGraphIO({in}, {out});
  return b;
}

// Loads bytes and, when that works, runs once; returns whether loading succeeded.
bool LoadAndRun(const std::vector<uint8_t>& bytes, std::string* error) {
  LoadedModel m;
  Status s = m.Load(bytes);
  if (!s.ok()) {
    *error = s.message();
    return false;
  }
  s = m.interpreter().Invoke();
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  if (!s.ok()) *error = s.message();
  return s.ok();
}

TEST(MutatedModels, BaseModelRuns) {
  std::string err;
  EXPECT_TRUE(LoadAndRun(TwoLayerInt8().Build(), &err)) << err;
}

TEST(MutatedModels, EveryTruncationFailsCleanly) {
  const std::vector<uint8_t> full = TwoLayerInt8().Build();
  for (size_t len = 0; len < full.size(); ++len) {
    std::vector<uint8_t> cut(full.begin(), full.begin() + static_cast<int64_t>(len));
    std::string err;
    EXPECT_FALSE(LoadAndRun(cut, &err)) << "truncated to " << len << " bytes still loaded";
  }
}

TEST(MutatedModels, RandomBitFlipsNeverCrash) {
  const std::vector<uint8_t> full = TwoLayerInt8().Build();
  const uint32_t seed = 20261125;
  std::mt19937 rng(seed);
  int loaded = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " iteration " + std::to_string(iter));
    std::vector<uint8_t> m = full;
    const int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) m[rng() % m.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
    std::string err;
    loaded += LoadAndRun(m, &err);
  }
  RecordProperty("loaded_after_flips", loaded);
}

TEST(MutatedModels, RandomByteOverwritesNeverCrash) {
  const std::vector<uint8_t> full = TwoLayerInt8().Build();
  const uint32_t seed = 77;
  std::mt19937 rng(seed);
  for (int iter = 0; iter < 2000; ++iter) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " iteration " + std::to_string(iter));
    std::vector<uint8_t> m = full;
    const size_t at = rng() % (m.size() - 4);
    const uint32_t v = (rng() % 3 == 0) ? 0xFFFFFFFFu : (rng() % 2 ? 0x7FFFFFFFu : rng());
    std::memcpy(&m[at], &v, 4);
    std::string err;
    (void)LoadAndRun(m, &err);
  }
}

std::string LoadError(ModelBuilder& b) {
  LoadedModel m;
  Status s = m.Load(b.Build());
  return s.ok() ? "" : s.message();
}

TEST(MutatedModels, OutOfRangeTensorIndex) {
  ModelBuilder b = TwoLayerInt8();
  b.subgraph().operators[0]->inputs[0] = 99;
  EXPECT_NE(LoadError(b).find("refers to tensor 99"), std::string::npos) << LoadError(b);
}

TEST(MutatedModels, OutOfRangeBufferIndex) {
  ModelBuilder b = TwoLayerInt8();
  b.subgraph().tensors[1]->buffer = 1000;
  EXPECT_NE(LoadError(b).find("buffer 1000"), std::string::npos) << LoadError(b);
}

TEST(MutatedModels, WrongConstantBufferSize) {
  ModelBuilder b = TwoLayerInt8();
  b.model().buffers[1]->data.resize(5);
  EXPECT_NE(LoadError(b).find("holds 5 bytes"), std::string::npos) << LoadError(b);
}

TEST(MutatedModels, ShapeBufferMismatch) {
  ModelBuilder b = TwoLayerInt8();
  b.subgraph().tensors[1]->shape = {3, 5};
  EXPECT_FALSE(LoadError(b).empty());
}

TEST(MutatedModels, AbsurdDimensions) {
  ModelBuilder b = TwoLayerInt8();
  b.subgraph().tensors[3]->shape = {65536, 65536, 65536};
  EXPECT_NE(LoadError(b).find("absurd"), std::string::npos) << LoadError(b);
  b.subgraph().tensors[3]->shape = {1, -1};
  EXPECT_NE(LoadError(b).find("negative"), std::string::npos) << LoadError(b);
}

TEST(MutatedModels, BadOpcodeIndexAndUnknownOp) {
  ModelBuilder b = TwoLayerInt8();
  b.subgraph().operators[1]->opcode_index = 7;
  EXPECT_NE(LoadError(b).find("opcode index 7"), std::string::npos) << LoadError(b);
  ModelBuilder c = TwoLayerInt8();
  c.model().operator_codes[0]->builtin_code = 5000;
  EXPECT_NE(LoadError(c).find("not a known builtin"), std::string::npos) << LoadError(c);
}

TEST(MutatedModels, UseBeforeDefinition) {
  ModelBuilder b = TwoLayerInt8();
  std::swap(b.subgraph().operators[0], b.subgraph().operators[1]);
  EXPECT_NE(LoadError(b).find("before any operator produces it"), std::string::npos)
      << LoadError(b);
}

TEST(MutatedModels, PerChannelScaleCountMismatch) {
  ModelBuilder b = TwoLayerInt8();
  b.subgraph().tensors[4]->quantization->scale = {0.1f, 0.2f, 0.3f};
  b.subgraph().tensors[4]->quantization->zero_point = {0, 0, 0};
  EXPECT_NE(LoadError(b).find("per-channel"), std::string::npos) << LoadError(b);
}

TEST(MutatedModels, HybridModelIsRefused) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {1, 2});
  int w = b.AddConst<int8_t>(DataType::kInt8, {1, 2}, {1, 2}, QuantSpec::PerTensor(0.1f, 0));
  int out = b.AddTensor(DataType::kFloat32, {1, 1});
  b.AddOperator(op::kFullyConnected, {in, w, -1}, {out});
  b.SetGraphIO({in}, {out});
  EXPECT_NE(LoadError(b).find("hybrid"), std::string::npos) << LoadError(b);
}

TEST(MutatedModels, CustomOpIsRefused) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {1, 2});
  int out = b.AddTensor(DataType::kFloat32, {1, 2});
  b.AddOperator(op::kCustom, {in}, {out}, {}, 1, "SignalWindow");
  b.SetGraphIO({in}, {out});
  EXPECT_NE(LoadError(b).find("CUSTOM 'SignalWindow'"), std::string::npos) << LoadError(b);
}

}  // namespace
}  // namespace tv

namespace tv {
namespace {

// Large-model layout: constant data stored after the flatbuffer, referenced by Buffer.offset
// and Buffer.size instead of Buffer.data.
TEST(LargeModelLayout, BufferOffsetAndSize) {
  ModelBuilder b;
  int in = b.AddTensor(DataType::kFloat32, {1, 2});
  int w = b.AddConst<float>(DataType::kFloat32, {1, 2}, {0.5f, -1.0f});
  int out = b.AddTensor(DataType::kFloat32, {1, 1});
  b.AddOperator(op::kFullyConnected, {in, w, -1}, {out});
  b.SetGraphIO({in}, {out});
  const uint32_t buffer = b.subgraph().tensors[w]->buffer;
  const std::vector<uint8_t> weights = b.model().buffers[buffer]->data;
  b.model().buffers[buffer]->data.clear();
  b.model().buffers[buffer]->offset = 1;  // placeholder, fixed below
  b.model().buffers[buffer]->size = weights.size();
  // The offset must point past the flatbuffer, whose size depends on the offset's value:
  // build once to learn the size, then again with the final offset (same size).
  const size_t fb_size = (b.Build().size() + 15) / 16 * 16;
  b.model().buffers[buffer]->offset = fb_size;
  std::vector<uint8_t> bytes = b.Build();
  ASSERT_LE(bytes.size(), fb_size);
  bytes.resize(fb_size, 0);
  bytes.insert(bytes.end(), weights.begin(), weights.end());
  LoadedModel m;
  Status s = m.Load(bytes);
  ASSERT_TRUE(s.ok()) << s.message();
  m.SetInput<float>(0, {2.0f, 1.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{0.0f}));

  // The same model with the appended data cut short must be refused.
  bytes.resize(bytes.size() - 1);
  LoadedModel cut;
  Status bad = cut.Load(bytes);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.message()).find("outside the file"), std::string::npos)
      << bad.message();
}

}  // namespace
}  // namespace tv
