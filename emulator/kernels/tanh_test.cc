// TANH tests. Oracles transcribe tflm-int8-arithmetic.md §11 directly; the gemmlowp
// tanh itself (fp::TanhQ4) is checked against a §9 transcription in softmax_test.cc.
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
  b.AddOperator(op::kTanh, {in}, {out});
  b.SetGraphIO({in}, {out});
  return b.Build();
}

template <typename T>
std::vector<T> RunTanh(DataType type, const QuantSpec& in_q, const QuantSpec& out_q,
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
  const int32_t y = Rdbpot(fp::TanhQ4(in_q4), 24);
  return static_cast<int8_t>(std::min(std::max(y, -128), 127));
}

int16_t OracleInt16(int16_t x, float s_in) {
  const float t = std::log(s_in) * (1.0f / std::log(2.0f));
  const float l = std::round(t);
  int shift = 12 + static_cast<int>(l);
  int32_t m = 0;
  if (!(std::fabs(t - l) < 1e-3f && (shift == 0 || shift == 1))) {
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
  const uint32_t h = a >> 8;
  const uint16_t* T = lut::kSigmoidTable;
  int32_t res = h >= 255
                    ? (0xFFFF << 8)
                    : static_cast<int32_t>((uint32_t{T[h]} << 8) + (a & 255) * (T[h + 1] - T[h]));
  res = v >= 0 ? res - (1 << 23) + (1 << 7) : -res + (1 << 23) + (1 << 7) - 1;
  return static_cast<int16_t>(res >> 8);
}

const QuantSpec kOut8 = QuantSpec::PerTensor(1.0f / 128, 0);
const QuantSpec kOut16 = QuantSpec::PerTensor(1.0f / 32768, 0);

// ---- Hand-checked ----
TEST(Tanh, Int8HandChecked) {
  // s_in = 1/16, zp 0: M = 2^30, shift 24, radius 120 (as for LOGISTIC). Output 1/128, zp 0.
  // x=0 -> 0; x=16 (1.0): tanh(1) * 128 = 97.48 -> 97; x=-16 -> -97; x=119 (7.44): 127.99997
  // -> 128 clamps to 127, x=-119 -> -128; x=120, 127 >= radius -> 127; x=-120 -> -128.
  EXPECT_EQ(RunTanh<int8_t>(DataType::kInt8, QuantSpec::PerTensor(1.0f / 16, 0), kOut8,
                            {0, 16, -16, 119, -119, 120, 127, -120}),
            (std::vector<int8_t>{0, 97, -97, 127, -128, 127, 127, -128}));
  // Zero point shifts the input: zp -7 -> x = -7 is 0.0.
  EXPECT_EQ(RunTanh<int8_t>(DataType::kInt8, QuantSpec::PerTensor(1.0f / 16, -7), kOut8, {-7}),
            (std::vector<int8_t>{0}));
}

TEST(Tanh, Int16HandChecked) {
  // s_in = 2^-12 (POT, shift 0): v = 3x. x = 0: (2^23 - 2^23 + 128) >> 8 = 0.
  // x = 4096 (1.0): v = 12288, h = 48 -> (57724 * 256 - 2^23 + 128) >> 8 = 24956
  // (tanh(1) * 32768 = 24956.2); x = -4096: (-14777344 + 2^23 + 127) >> 8 = -24956.
  EXPECT_EQ(RunTanh<int16_t>(DataType::kInt16, QuantSpec::PerTensor(1.0f / 4096, 0), kOut16,
                             {0, 4096, -4096}),
            (std::vector<int16_t>{0, 24956, -24956}));
  // s_in = 2^-11 is still POT for TANH (shift 1): v = 6x, so x = 2048 is 1.0 again.
  // x = 32767 (16.0): h >= 255 saturates -> (0xFFFF << 8 - 2^23 + 128) >> 8 = 32767;
  // x = -32768: (-(0xFFFF << 8) + 2^23 + 127) >> 8 = floor(-32766.5) = -32767.
  EXPECT_EQ(RunTanh<int16_t>(DataType::kInt16, QuantSpec::PerTensor(1.0f / 2048, 0), kOut16,
                             {2048, -2048, 32767, -32768}),
            (std::vector<int16_t>{24956, -24956, 32767, -32767}));
}

TEST(Tanh, FloatHandChecked) {
  const auto out = RunTanh<float>(DataType::kFloat32, {}, {}, {0.0f, 1.0f, -1.0f, 30.0f});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_NEAR(out[1], 0.7615942f, 1e-7f);
  EXPECT_NEAR(out[2], -0.7615942f, 1e-7f);
  EXPECT_EQ(out[3], 1.0f);
}

// ---- Exhaustive against the oracles ----
TEST(Tanh, Int8ExhaustiveMatchesOracle) {
  std::vector<int8_t> all;
  for (int v = -128; v < 128; ++v) all.push_back(static_cast<int8_t>(v));
  for (float s : {0.001f, 0.0078125f, 0.02f, 1.0f / 16, 0.1f, 0.2345f, 0.5f, 1.0f, 3.0f}) {
    for (int32_t zp : {-128, -5, 0, 17, 127}) {
      SCOPED_TRACE(::testing::Message() << "s_in=" << s << " zp=" << zp);
      std::vector<int8_t> want;
      for (int8_t v : all) want.push_back(OracleInt8(v, s, zp));
      ASSERT_EQ(RunTanh<int8_t>(DataType::kInt8, QuantSpec::PerTensor(s, zp), kOut8, all), want);
    }
  }
}

TEST(Tanh, Int16ExhaustiveMatchesOracle) {
  std::vector<int16_t> all;
  for (int v = -32768; v < 32768; ++v) all.push_back(static_cast<int16_t>(v));
  for (float s : {1.0f / 4096, 1.0f / 2048, 1.0f / 1024, 1.0f / 8192, 1.0f / 32768, 0.001f,
                  0.00037f, 0.01f}) {
    SCOPED_TRACE(::testing::Message() << "s_in=" << s);
    std::vector<int16_t> want;
    for (int16_t v : all) want.push_back(OracleInt16(v, s));
    ASSERT_EQ(RunTanh<int16_t>(DataType::kInt16, QuantSpec::PerTensor(s, 0), kOut16, all), want);
  }
}

TEST(Tanh, FloatMatchesOracle) {
  std::vector<float> x;
  for (int i = -400; i <= 400; ++i) x.push_back(static_cast<float>(i) * 0.0573f);
  const auto out = RunTanh<float>(DataType::kFloat32, {}, {}, x);
  ASSERT_EQ(out.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) EXPECT_EQ(out[i], std::tanh(x[i])) << x[i];
}

// ---- Errors ----
Status LoadStatus(const std::vector<uint8_t>& bytes) {
  LoadedModel m;
  return m.Load(bytes);
}

TEST(Tanh, RejectsBadInputs) {
  Status s = LoadStatus(BuildUnary(DataType::kInt32, {1, 4}, {1, 4}, {}, {}, DataType::kInt32));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("TANH"), std::string::npos) << s.message();
  EXPECT_NE(std::string(s.message()).find("int32"), std::string::npos) << s.message();

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
