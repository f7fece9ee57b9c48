#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

Status BuildLeaky(LoadedModel* m, DataType t, QuantSpec qi, QuantSpec qo, float alpha,
                  bool with_options = true) {
  ModelBuilder b;
  int in = b.AddTensor(t, {4}, qi, "x");
  int out = b.AddTensor(t, {4}, qo, "y");
  tflite::BuiltinOptionsUnion u;
  if (with_options) {
    tflite::LeakyReluOptionsT o;
    o.alpha = alpha;
    u.Set(o);
  }
  b.AddOperator(op::kLeakyRelu, {in}, {out}, std::move(u));
  b.SetGraphIO({in}, {out});
  return m->Load(b.Build());
}

TEST(LeakyRelu, Float) {
  LoadedModel m;
  ASSERT_TRUE(BuildLeaky(&m, DataType::kFloat32, {}, {}, 0.2f).ok());
  m.SetInput<float>(0, {-1.0f, 0.0f, 3.0f, -10.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>{-1.0f * 0.2f, 0.0f, 3.0f, -10.0f * 0.2f}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(LeakyRelu, FloatAbsentOptionsMeansAlphaZero) {
  LoadedModel m;
  ASSERT_TRUE(BuildLeaky(&m, DataType::kFloat32, {}, {}, 0.0f, /*with_options=*/false).ok());
  m.SetInput<float>(0, {-1.0f, 2.0f, -3.0f, 4.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  const auto out = m.Output<float>(0);
  EXPECT_EQ(out, (std::vector<float>{0.0f, 2.0f, 0.0f, 4.0f}));
}

TEST(LeakyRelu, Int8HandChecked) {
  // sI = sO = 0.5, zI = 2, zO = -1, alpha = 0.25: identity (2^30, shift 1) is exact;
  // alpha multiplier 0.25 -> (2^30, shift -1): RDBPOT(SRDHM(d, 2^30), 1), two roundings:
  //   x=10: d=8 -> 8 - 1 = 7;  x=-6: d=-8 -> -4 -> -2 -> -3;
  //   x=-4: d=-6 -> -3 -> -1.5 -> -2 (away from zero) -> -3;  x=-1: d=-3 -> SRDHM -1.5 -> -1
  //   (tie toward +inf) -> RDBPOT(-1, 1) = -0.5 -> -1 -> -2.
  LoadedModel m;
  ASSERT_TRUE(BuildLeaky(&m, DataType::kInt8, QuantSpec::PerTensor(0.5f, 2),
                         QuantSpec::PerTensor(0.5f, -1), 0.25f)
                  .ok());
  m.SetInput<int8_t>(0, {10, -6, -4, -1});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{7, -3, -3, -2}));
}

TEST(LeakyRelu, Int8NegativeAlphaUsesSignedMultiplier) {
  // alpha = -0.5, sI = sO = 1: alpha multiplier -0.5 -> (M = -2^30, shift 0). TFLM passes the
  // negative multiplier to SRDHM, whose ties go toward +inf: d=-1 -> SRDHM(-1, -2^30) =
  // floor(0.5 + 0.5) = 1 (negating SRDHM(-1, 2^30) would give 0); d=-3 -> floor(1.5+0.5) = 2;
  // d=-4 -> 2; d=5 -> identity 5.
  LoadedModel m;
  ASSERT_TRUE(BuildLeaky(&m, DataType::kInt8, QuantSpec::PerTensor(1.0f, 0),
                         QuantSpec::PerTensor(1.0f, 0), -0.5f)
                  .ok());
  m.SetInput<int8_t>(0, {-1, -3, -4, 5});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{1, 2, 2, 5}));
}

TEST(LeakyRelu, Int16Saturates) {
  // sI = 1, sO = 0.5: identity doubles; alpha 1 (also doubling) -> saturate at both ends.
  LoadedModel m;
  ASSERT_TRUE(BuildLeaky(&m, DataType::kInt16, QuantSpec::PerTensor(1.0f, 0),
                         QuantSpec::PerTensor(0.5f, 0), 1.0f)
                  .ok());
  m.SetInput<int16_t>(0, {20000, -20000, 100, -100});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int16_t>(0), (std::vector<int16_t>{32767, -32768, 200, -200}));
}

TEST(LeakyRelu, RejectsBadOperands) {
  {
    LoadedModel m;
    Status s = BuildLeaky(&m, DataType::kUInt8, QuantSpec::PerTensor(1.0f, 0),
                          QuantSpec::PerTensor(1.0f, 0), 0.1f);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("LEAKY_RELU"), std::string::npos) << s.message();
    EXPECT_NE(std::string(s.message()).find("type uint8"), std::string::npos) << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildLeaky(&m, DataType::kInt8, QuantSpec::PerTensor(1.0f, 0), {}, 0.1f);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("output 'y'"), std::string::npos) << s.message();
  }
}

// ---- TFLM seanet int16 integration models (../shared), skipped when absent. ----
std::string SharedDir() {
  const char* env = std::getenv("TV_SHARED_DIR");
  std::string dir = env ? env : "";
  if (dir.empty()) {
    const std::string here = __FILE__;
    dir = here.substr(0, here.rfind("/emulator/")) + "/../shared";
  }
  std::ifstream probe(dir + "/models/tflm-seanet/leaky_relu/leaky_relu0.tflite");
  return probe.good() ? dir : "";
}

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

std::vector<int16_t> ReadCsv16(const std::string& path) {
  std::ifstream f(path);
  std::vector<int16_t> v;
  std::string item;
  while (std::getline(f, item, ',')) {
    if (item.find_first_not_of(" \r\n\t") != std::string::npos)
      v.push_back(static_cast<int16_t>(std::stol(item)));
  }
  return v;
}

TEST(LeakyRelu, SeanetInt16MatchesTflm) {
  const std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not available";
  for (int k = 0; k < 4; ++k) {
    const std::string base =
        shared + "/models/tflm-seanet/leaky_relu/leaky_relu" + std::to_string(k);
    SCOPED_TRACE(base);
    LoadedModel m;
    Status s = m.Load(ReadBytes(base + ".tflite"));
    ASSERT_TRUE(s.ok()) << s.message();
    m.SetInput<int16_t>(0, ReadCsv16(base + "_input0_int16.csv"));
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    const auto got = m.Output<int16_t>(0);
    const auto want = ReadCsv16(base + "_golden_int16.csv");
    ASSERT_EQ(got.size(), want.size());
    int mismatches = 0;
    for (size_t i = 0; i < got.size(); ++i) {
      if (got[i] != want[i] && ++mismatches <= 5)
        ADD_FAILURE() << "element " << i << ": got " << got[i] << ", want " << want[i];
    }
    EXPECT_EQ(mismatches, 0);
  }
}

}  // namespace
}  // namespace tv
