#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

Status BuildQuantize(LoadedModel* m, DataType in_type, QuantSpec in_q, DataType out_type,
                     QuantSpec out_q, std::vector<int32_t> in_shape = {5},
                     std::vector<int32_t> out_shape = {5}) {
  ModelBuilder b;
  int in = b.AddTensor(in_type, in_shape, in_q, "x");
  int out = b.AddTensor(out_type, out_shape, out_q, "y");
  b.AddOperator(op::kQuantize, {in}, {out});
  b.SetGraphIO({in}, {out});
  return m->Load(b.Build());
}

TEST(Quantize, FloatToInt8RoundsHalfAwayFromZero) {
  // q = roundf(x / 0.5) - 3: 1.25 -> 2.5 -> 3 -> 0; -1.25 -> -3 -> -6; 0.74 -> 1.48 -> 1 -> -2;
  // 100 -> 197 -> 127; -100 -> -203 -> -128.
  LoadedModel m;
  ASSERT_TRUE(
      BuildQuantize(&m, DataType::kFloat32, {}, DataType::kInt8, QuantSpec::PerTensor(0.5f, -3))
          .ok());
  m.SetInput<float>(0, {1.25f, -1.25f, 0.74f, 100.0f, -100.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{0, -6, -2, 127, -128}));
  EXPECT_TRUE(m.interpreter().GuardsIntact());
}

TEST(Quantize, FloatToInt16AndNonFiniteInputs) {
  // Scale 2^-8, zp 0. Non-finite inputs convert like x86 cvttss2si (INT32_MIN), so they clamp
  // to the type minimum — what TFLM's host build does; the point is that nothing crashes.
  LoadedModel m;
  ASSERT_TRUE(BuildQuantize(&m, DataType::kFloat32, {}, DataType::kInt16,
                            QuantSpec::PerTensor(1.0f / 256, 0))
                  .ok());
  const float inf = std::numeric_limits<float>::infinity();
  m.SetInput<float>(0, {1.0f, -0.001953125f, inf, -inf, std::nanf("")});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  // 1.0 -> 256; -2^-9 / 2^-8 = -0.5 -> -1 (half away from zero).
  EXPECT_EQ(m.Output<int16_t>(0), (std::vector<int16_t>{256, -1, -32768, -32768, -32768}));
}

TEST(Quantize, Int8ToInt8Requantize) {
  // sI = 1, zI = 1 -> sO = 2, zO = -1: eff 0.5 -> (2^30, 0): MBQM(d) = floor(d/2 + 1/2), ties
  // toward +inf (SRDHM, §2). d = x - 1: x=4 -> 3 -> 2 -> 1; x=-2 -> -3 -> -1 -> -2;
  // x=127 -> 126 -> 63 -> 62; x=-128 -> -129 -> -64 -> -65; x=1 -> 0 -> -1.
  LoadedModel m;
  ASSERT_TRUE(BuildQuantize(&m, DataType::kInt8, QuantSpec::PerTensor(1.0f, 1), DataType::kInt8,
                            QuantSpec::PerTensor(2.0f, -1))
                  .ok());
  m.SetInput<int8_t>(0, {4, -2, 127, -128, 1});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{1, -2, 62, -65, -1}));
}

TEST(Quantize, Int8ToUInt8ShiftsBy128) {
  LoadedModel m;
  ASSERT_TRUE(BuildQuantize(&m, DataType::kInt8, QuantSpec::PerTensor(0.1f, 0), DataType::kUInt8,
                            QuantSpec::PerTensor(0.1f, 128))
                  .ok());
  m.SetInput<int8_t>(0, {-128, 127, 0, -1, 5});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<uint8_t>(0), (std::vector<uint8_t>{0, 255, 128, 127, 133}));
}

TEST(Quantize, Int8ToInt32AndInt16ToInt8) {
  {
    // sI = 0.5 -> sO = 0.125: eff 4 -> exact 4x: (x - 2) * 4 + 7.
    LoadedModel m;
    ASSERT_TRUE(BuildQuantize(&m, DataType::kInt8, QuantSpec::PerTensor(0.5f, 2), DataType::kInt32,
                              QuantSpec::PerTensor(0.125f, 7))
                    .ok());
    m.SetInput<int8_t>(0, {2, 3, -128, 127, 0});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int32_t>(0), (std::vector<int32_t>{7, 11, -513, 507, -1}));
  }
  {
    // int16 -> int8 saturates: sI = sO.
    LoadedModel m;
    ASSERT_TRUE(BuildQuantize(&m, DataType::kInt16, QuantSpec::PerTensor(0.5f, 0), DataType::kInt8,
                              QuantSpec::PerTensor(0.5f, 0))
                    .ok());
    m.SetInput<int16_t>(0, {300, -300, 5, -5, 127});
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int8_t>(0), (std::vector<int8_t>{127, -128, 5, -5, 127}));
  }
}

TEST(Quantize, RejectsBadOperands) {
  {
    LoadedModel m;
    Status s =
        BuildQuantize(&m, DataType::kFloat32, {}, DataType::kInt32, QuantSpec::PerTensor(0.5f, 0));
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("QUANTIZE"), std::string::npos) << s.message();
    EXPECT_NE(std::string(s.message()).find("type float32"), std::string::npos) << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildQuantize(&m, DataType::kFloat32, {}, DataType::kInt8,
                             QuantSpec{{0.5f, 0.25f}, {0, 0}, 0}, {2}, {2});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("per channel"), std::string::npos) << s.message();
  }
  {
    LoadedModel m;
    Status s = BuildQuantize(&m, DataType::kFloat32, {}, DataType::kInt8,
                             QuantSpec::PerTensor(0.5f, 0), {5}, {4});
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("shape"), std::string::npos) << s.message();
  }
  {
    LoadedModel m;
    Status s =
        BuildQuantize(&m, DataType::kInt8, {}, DataType::kInt8, QuantSpec::PerTensor(0.5f, 0));
    ASSERT_FALSE(s.ok());
    EXPECT_NE(std::string(s.message()).find("input 'x'"), std::string::npos) << s.message();
  }
}

// ---- TFLM seanet integration models (../shared), skipped when absent. ----
std::string SharedDir() {
  const char* env = std::getenv("TV_SHARED_DIR");
  std::string dir = env ? env : "";
  if (dir.empty()) {
    const std::string here = __FILE__;
    dir = here.substr(0, here.rfind("/emulator/")) + "/../shared";
  }
  std::ifstream probe(dir + "/models/tflm-seanet/quantize/quantize0.tflite");
  return probe.good() ? dir : "";
}

std::vector<uint8_t> ReadBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(f), {});
}

template <typename T>
std::vector<T> ReadCsv(const std::string& path) {
  std::ifstream f(path);
  std::vector<T> v;
  std::string item;
  while (std::getline(f, item, ',')) {
    if (item.find_first_not_of(" \r\n\t") != std::string::npos)
      v.push_back(static_cast<T>(std::stoll(item)));
  }
  return v;
}

TEST(Quantize, SeanetInt32ToInt16AndInt16ToInt32MatchTflm) {
  const std::string shared = SharedDir();
  if (shared.empty()) GTEST_SKIP() << "../shared not available";
  const std::string dir = shared + "/models/tflm-seanet/quantize/";
  {
    LoadedModel m;
    Status s = m.Load(ReadBytes(dir + "quantize0.tflite"));
    ASSERT_TRUE(s.ok()) << s.message();
    m.SetInput<int32_t>(0, ReadCsv<int32_t>(dir + "quantize0_input0_int32.csv"));
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int16_t>(0), ReadCsv<int16_t>(dir + "quantize0_golden_int16.csv"));
  }
  {
    LoadedModel m;
    Status s = m.Load(ReadBytes(dir + "quantize1.tflite"));
    ASSERT_TRUE(s.ok()) << s.message();
    m.SetInput<int16_t>(0, ReadCsv<int16_t>(dir + "quantize1_input0_int16.csv"));
    ASSERT_TRUE(m.interpreter().Invoke().ok());
    EXPECT_EQ(m.Output<int32_t>(0), ReadCsv<int32_t>(dir + "quantize1_golden_int32.csv"));
  }
}

}  // namespace
}  // namespace tv
