// LOGISTIC tests. Oracles transcribe tflm-int8-arithmetic.md §11 directly; the gemmlowp
// logistic itself (fp::LogisticQ4) is checked against a §9 transcription in softmax_test.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/fixedpoint.h"
#include "emulator/kernels/lut_common.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

std::vector<uint8_t> BuildUnary(DataType type, std::vector<int32_t> in_shape,
                                std::vector<int32_t> out_shape, const QuantSpec& in_q,
                                const QuantSpec& out_q, DataType out_type) {
  ModelBuilder b;
  const int in = b.AddTensor(type, in_shape, in_q, "x");
  const int out = b.AddTensor(out_type, out_shape, out_q, "y");
  b.AddOperator(op::kLogistic, {in}, {out});
  b.SetGraphIO({in}, {out});
  return b.Build();
}

template <typename T>
std::vector<T> RunLogistic(DataType type, const QuantSpec& in_q, const QuantSpec& out_q,
                           const std::vector<T>& x) {
  const int32_t n = static_cast<int32_t>(x.size());
  LoadedModel m;
  Status s = m.Load(BuildUnary(type, {1, n}, {1, n}, in_q, out_q, type));
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return {};
  m.SetInput<T>(0, x);
  s = m.interpreter().Invoke();
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  return m.Output<T>(0);
}

// ---- Oracles (§11) ----
int32_t Srdhm(int32_t a, int32_t b) {
  if (a == b && a == std::numeric_limits<int32_t>::min())
    return std::numeric_limits<int32_t>::max();
  return static_cast<int32_t>((static_cast<int64_t>(a) * b + (int64_t{1} << 30)) >> 31);
}
int32_t Rdbpot(int32_t x, int e) {
  if (e == 0) return x;
  const int64_t d = int64_t{1} << e, v = x;
  return static_cast<int32_t>(v >= 0 ? (v + d / 2) / d : -((-v + d / 2) / d));
}

int8_t OracleInt8(int8_t x, float s_in, int32_t z_in) {
  int shift;
  const double q = std::frexp(static_cast<double>(s_in) * 134217728.0, &shift);  // * 2^27
  const double r = std::round(q * 2147483648.0);
  const int32_t m =
      r >= 2147483648.0 ? std::numeric_limits<int32_t>::min() : static_cast<int32_t>(r);
  const int32_t radius =
      static_cast<int32_t>(std::floor(15.0 * 134217728.0 / std::ldexp(1.0, shift)));
  const int32_t d = x - z_in;
  if (d <= -radius) return -128;
  if (d >= radius) return 127;
  const int32_t t =
      static_cast<int32_t>(static_cast<int64_t>(d) * (int64_t{1} << (shift > 0 ? shift : 0)));
  const int32_t in_q4 = Rdbpot(Srdhm(t, m), shift > 0 ? 0 : -shift);
  const int32_t y = Rdbpot(fp::LogisticQ4(in_q4), 23) - 128;
  return static_cast<int8_t>(std::min(std::max(y, -128), 127));
}

int16_t OracleInt16(int16_t x, float s_in) {
  const float t = std::log(s_in) * (1.0f / std::log(2.0f));
  const float l = std::round(t);
  int shift = 12 + static_cast<int>(l);
  int32_t m = 0;
  if (!(std::fabs(t - l) < 1e-3f && shift == 0)) {
    double md = static_cast<double>(s_in) * 4096 * 3;
    shift = 0;
    while (md <= 16383.5 && shift <= 30) {
      ++shift;
      md *= 2;
    }
    m = static_cast<int32_t>(md);
  }
  if (m == 0) {
    m = 3 << shift;
    shift = 0;
  }
  const int32_t v = static_cast<int32_t>(
      (static_cast<int64_t>(x) * m + (shift > 0 ? (int64_t{1} << (shift - 1)) : 0)) >> shift);
  const uint32_t a = static_cast<uint32_t>(v < 0 ? -v : v);
  const uint32_t h = a >> 9;
  const uint16_t* T = lut::kSigmoidTable;
  uint32_t res = h >= 255 ? (0x7FFFu << 10) : (uint32_t{T[h]} << 9) + (a & 511) * (T[h + 1] - T[h]);
  res = v >= 0 ? res + 512 : (1u << 25) - res + 512 - 1;
  return static_cast<int16_t>(res >> 10);
}

float OracleFloat(float x) {
  if (x > 16.619047164916992188f) return 1.0f;
  if (x < -9.0f) return std::exp(x);
  return 1.0f / (1.0f + std::exp(-x));
}

const QuantSpec kOut8 = QuantSpec::PerTensor(1.0f / 256, -128);
const QuantSpec kOut16 = QuantSpec::PerTensor(1.0f / 32768, 0);

// ---- Hand-checked ----
TEST(Logistic, Int8HandChecked) {
  // s_in = 1/16, zp 0: real = 2^23 -> M = 2^30, shift 24, radius = floor(15*2^27/2^24) = 120.
  // x=0 -> 2^30 (0.5) -> 2^30/2^23 - 128 = 0; x=16 (1.0): sigma = 0.731059*256 = 187.1 -> 59;
  // x=-16: 0.268941*256 = 68.8 -> -59; x=119 (7.44): 255.85 -> 256-128 clamps to 127;
  // x=120, 127 >= radius -> 127; x=-120 <= -radius -> -128.
  EXPECT_EQ(RunLogistic<int8_t>(DataType::kInt8, QuantSpec::PerTensor(1.0f / 16, 0), kOut8,
                                {0, 16, -16, 119, 120, 127, -120, -128}),
            (std::vector<int8_t>{0, 59, -59, 127, 127, 127, -128, -128}));
  // Zero point shifts the input: zp 10 -> x = 10 is 0.0.
  EXPECT_EQ(RunLogistic<int8_t>(DataType::kInt8, QuantSpec::PerTensor(1.0f / 16, 10), kOut8, {10}),
            (std::vector<int8_t>{0}));
}

TEST(Logistic, Int16HandChecked) {
  // s_in = 2^-12 is the power-of-two case: v = 3x. x = 0: T[0]<<9 + 2^9 >> 10 = 16384 (0.5).
  // x = 4096 (1.0): v = 12288, h = 24, frac 0 -> (47911*512 + 512) >> 10 = 23956
  // (sigma(1) * 32768 = 23955.1). x = -4096: (2^25 - 47911*512 + 511) >> 10 = 8812.
  // x = 32767 (8.0): v = 98301, h = 191, interpolated -> 32757 (sigma(8) * 32768 = 32757.0);
  // x = -32768: 11 (symmetric).
  EXPECT_EQ(RunLogistic<int16_t>(DataType::kInt16, QuantSpec::PerTensor(1.0f / 4096, 0), kOut16,
                                 {0, 4096, -4096, 32767, -32768}),
            (std::vector<int16_t>{16384, 23956, 8812, 32757, 11}));
  // s_in = 2^-10 is not the POT case for LOGISTIC (shift 2): M = 12 * 2^11 = 24576, L = 11.
  // x = 32767 (32.0): v = 393204, h >= 255 saturates -> (0x7FFF << 10 + 512) >> 10 = 32767;
  // x = -32768: (2^25 - (0x7FFF << 10) + 511) >> 10 = 1.
  EXPECT_EQ(RunLogistic<int16_t>(DataType::kInt16, QuantSpec::PerTensor(1.0f / 1024, 0), kOut16,
                                 {32767, -32768}),
            (std::vector<int16_t>{32767, 1}));
}

TEST(Logistic, FloatHandChecked) {
  const auto out = RunLogistic<float>(DataType::kFloat32, {}, {}, {0.0f, 20.0f, -10.0f, 1.0f});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], 0.5f);
  EXPECT_EQ(out[1], 1.0f);              // above the 16.619 cut-off
  EXPECT_EQ(out[2], std::exp(-10.0f));  // below -9: exp(x)
  EXPECT_NEAR(out[3], 0.7310586f, 1e-7f);
}

// ---- Exhaustive against the oracles ----
TEST(Logistic, Int8ExhaustiveMatchesOracle) {
  std::vector<int8_t> all;
  for (int v = -128; v < 128; ++v) all.push_back(static_cast<int8_t>(v));
  for (float s : {0.001f, 0.0078125f, 0.02f, 1.0f / 16, 0.1f, 0.2345f, 0.5f, 1.0f, 3.0f}) {
    for (int32_t zp : {-128, -5, 0, 17, 127}) {
      SCOPED_TRACE(::testing::Message() << "s_in=" << s << " zp=" << zp);
      std::vector<int8_t> want;
      for (int8_t v : all) want.push_back(OracleInt8(v, s, zp));
      ASSERT_EQ(RunLogistic<int8_t>(DataType::kInt8, QuantSpec::PerTensor(s, zp), kOut8, all),
                want);
    }
  }
}

TEST(Logistic, Int16ExhaustiveMatchesOracle) {
  std::vector<int16_t> all;
  for (int v = -32768; v < 32768; ++v) all.push_back(static_cast<int16_t>(v));
  for (float s : {1.0f / 4096, 1.0f / 2048, 1.0f / 8192, 1.0f / 32768, 0.001f, 0.00037f, 0.01f}) {
    SCOPED_TRACE(::testing::Message() << "s_in=" << s);
    std::vector<int16_t> want;
    for (int16_t v : all) want.push_back(OracleInt16(v, s));
    ASSERT_EQ(RunLogistic<int16_t>(DataType::kInt16, QuantSpec::PerTensor(s, 0), kOut16, all),
              want);
  }
}

TEST(Logistic, FloatMatchesOracle) {
  std::vector<float> x;
  for (int i = -400; i <= 400; ++i) x.push_back(static_cast<float>(i) * 0.0573f);
  x.push_back(16.619047164916992188f);
  x.push_back(std::nextafter(16.619047164916992188f, 100.0f));
  x.push_back(-9.0f);
  x.push_back(std::nextafter(-9.0f, -100.0f));
  const auto out = RunLogistic<float>(DataType::kFloat32, {}, {}, x);
  ASSERT_EQ(out.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(out[i], OracleFloat(x[i])) << x[i];
}

TEST(Logistic, SigmoidTableSanity) {
  // The transcribed table: endpoints, monotonic, and within 1 of 65536*sigmoid(i/24), with the
  // documented 44 entries that are not a plain rounding.
  const uint16_t* T = lut::kSigmoidTable;
  EXPECT_EQ(T[0], 32768);
  EXPECT_EQ(T[255], 65535);
  int differ = 0;
  for (int i = 0; i < 256; ++i) {
    if (i > 0) {
      EXPECT_GE(T[i], T[i - 1]);
    }
    const double exact = 65536.0 / (1.0 + std::exp(-i / 24.0));
    const long rounded = std::min(65535L, std::lround(exact));
    EXPECT_LE(std::abs(static_cast<long>(T[i]) - rounded), 1) << i;
    differ += T[i] != rounded;
  }
  EXPECT_EQ(differ, 44);
}

// ---- Errors ----
Status LoadStatus(const std::vector<uint8_t>& bytes) {
  LoadedModel m;
  return m.Load(bytes);
}

TEST(Logistic, RejectsBadInputs) {
  Status s = LoadStatus(BuildUnary(DataType::kInt32, {1, 4}, {1, 4}, {}, {}, DataType::kInt32));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("LOGISTIC"), std::string::npos) << s.message();
  EXPECT_NE(std::string(s.message()).find("int32"), std::string::npos) << s.message();

  s = LoadStatus(BuildUnary(DataType::kInt8, {1, 4}, {1, 4}, QuantSpec::PerTensor(0.1f, 0),
                            QuantSpec::PerTensor(1.0f / 256, 0), DataType::kInt8));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("zero point -128"), std::string::npos) << s.message();

  s = LoadStatus(BuildUnary(DataType::kInt16, {1, 4}, {1, 4}, QuantSpec::PerTensor(0.001f, 0),
                            QuantSpec::PerTensor(1.0f / 256, 0), DataType::kInt16));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("2^-15"), std::string::npos) << s.message();

  s = LoadStatus(BuildUnary(DataType::kFloat32, {1, 4}, {1, 5}, {}, {}, DataType::kFloat32));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("shape"), std::string::npos) << s.message();

  s = LoadStatus(BuildUnary(DataType::kFloat32, {1, 4}, {1, 4}, {}, kOut8, DataType::kInt8));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("float32"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tv
