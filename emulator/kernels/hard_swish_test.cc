// HARD_SWISH tests. The int8 oracle is a literal transcription of tflm-int8-arithmetic.md §2,
// §3 and §14 (including the int16 RoundingDivideByPOT quirk for exponents >= 16).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

std::vector<uint8_t> BuildHardSwish(DataType type, std::vector<int32_t> in_shape,
                                    std::vector<int32_t> out_shape, const QuantSpec& in_q,
                                    const QuantSpec& out_q, DataType out_type) {
  ModelBuilder b;
  const int in = b.AddTensor(type, in_shape, in_q, "x");
  const int out = b.AddTensor(out_type, out_shape, out_q, "y");
  b.AddOperator(op::kHardSwish, {in}, {out});
  b.SetGraphIO({in}, {out});
  return b.Build();
}

template <typename T>
std::vector<T> RunHardSwish(DataType type, const QuantSpec& in_q, const QuantSpec& out_q,
                            const std::vector<T>& x) {
  const int32_t n = static_cast<int32_t>(x.size());
  LoadedModel m;
  Status s = m.Load(BuildHardSwish(type, {n}, {n}, in_q, out_q, type));
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return {};
  m.SetInput<T>(0, x);
  s = m.interpreter().Invoke();
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  return m.Output<T>(0);
}

Status LoadStatus(const std::vector<uint8_t>& bytes) {
  LoadedModel m;
  return m.Load(bytes);
}

// ---- Oracle ----
int32_t Sat16(int64_t v) {
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(v, -32768), 32767));
}
int32_t Srdhm16(int32_t a, int32_t b) {  // floor((a*b + 2^14) / 2^15)
  if (a == -32768 && b == -32768) return 32767;
  const int32_t p = a * b + (1 << 14);
  return p >= 0 ? p / 32768 : -((-p + 32767) / 32768);
}
int32_t Rdbpot16(int32_t x, int e) {
  const int16_t mask = static_cast<int16_t>((int64_t{1} << e) - 1);  // truncated to int16
  const int16_t rem = static_cast<int16_t>(x & mask);
  const int16_t thr = static_cast<int16_t>((mask >> 1) + (x < 0 ? 1 : 0));
  return static_cast<int16_t>((x >> e) + (rem > thr ? 1 : 0));
}
void QuantizeMultiplier(double m, int32_t* q, int* shift) {
  if (m == 0) {
    *q = 0;
    *shift = 0;
    return;
  }
  int64_t qf = static_cast<int64_t>(std::round(std::frexp(m, shift) * 2147483648.0));
  if (qf == (int64_t{1} << 31)) {
    qf /= 2;
    ++*shift;
  }
  if (*shift < -31) {
    *shift = 0;
    qf = 0;
  }
  *q = static_cast<int32_t>(qf);
}
int32_t To16(int32_t m32) { return m32 >= 2147483647 - 32768 ? 32767 : (m32 + 32768) >> 16; }

std::vector<int8_t> Oracle(const std::vector<int8_t>& xs, float s_in, int32_t z_in, float s_out,
                           int32_t z_out) {
  const float hires = s_in / 128;
  int32_t mo32, mr32;
  int eo, er;
  QuantizeMultiplier(static_cast<double>(hires / s_out), &mo32, &eo);
  QuantizeMultiplier(static_cast<double>(hires / (3.0f / 32768)), &mr32, &er);
  const int32_t mo = To16(mo32), mr = To16(mr32);
  std::vector<int8_t> out;
  for (int8_t x : xs) {
    const int32_t v = x - z_in, h = v * 128;
    const int32_t p = Srdhm16(h, mo);
    int32_t r = h;
    if (er > 0) r = Sat16(static_cast<int64_t>(r) * (int64_t{1} << (er - 1)));
    r = Srdhm16(r, mr);
    if (er > 0) r = Sat16(int64_t{r} * 2);
    if (er < 0) r = Rdbpot16(r, -er);
    r = (r + 32768) >> 1;
    const int32_t q = (r == -32768 && p == -32768) ? 32767 : (r * p) / 32768;
    const int32_t o = static_cast<int16_t>(Rdbpot16(q, -eo) + z_out);
    out.push_back(static_cast<int8_t>(std::min(std::max(o, -128), 127)));
  }
  return out;
}

std::vector<int8_t> AllInt8() {
  std::vector<int8_t> all;
  for (int v = -128; v < 128; ++v) all.push_back(static_cast<int8_t>(v));
  return all;
}

// ---- Hand-checked ----
TEST(HardSwish, Int8HandChecked) {
  // s_in = s_out = 1/16, zero points 0. mo = 2^-7 -> (2^30, -6) -> Mo16 = 16384;
  // mr = (1/2048)/(3/32768) = 16/3 -> (1431655765, 3) -> Mr16 = 21845.
  // x=16 (1.0): h=2048, p=1024; r = 2048*4 = 8192 -> SRDHM16(8192, 21845) = 5461 -> *2 = 10922
  //   -> (10922+32768)>>1 = 21845; q = trunc(21845*1024/32768) = 682; RDBPOT(682, 6) = 11
  //   (hard_swish(1) = 0.667 = 10.7 steps).
  // x=48 (3.0): r saturates to 32767 -> q = 3071 -> 48. x=-48 (-3.0): r = 1, q = 0 -> 0.
  // x=-16 (-1.0): r = 10923, q = trunc(-341.3) = -341 -> RDBPOT(-341, 6) = -5 (-0.333 = -5.3).
  // x=127: q = 8127 -> 127. x=-128: r = 0 -> 0. x=0 -> 0.
  EXPECT_EQ(
      RunHardSwish<int8_t>(DataType::kInt8, QuantSpec::PerTensor(1.0f / 16, 0),
                           QuantSpec::PerTensor(1.0f / 16, 0), {16, 48, -48, -16, 127, -128, 0}),
      (std::vector<int8_t>{11, 48, 0, -5, 127, 0, 0}));
}

TEST(HardSwish, Int8RoundingQuirkForTinyOutputMultiplier) {
  // s_in / (128 s_out) = 1/(16*128*100) ~ 2^-17.6 -> output exponent -17 >= 16 bits: the int16
  // RoundingDivideByPOT returns +1 for q >= 0 (even 0) and -1 for q < 0 (§2 quirk).
  const auto out = RunHardSwish<int8_t>(DataType::kInt8, QuantSpec::PerTensor(1.0f / 16, 0),
                                        QuantSpec::PerTensor(100.0f, 0), AllInt8());
  ASSERT_EQ(out.size(), 256u);
  EXPECT_EQ(out[128], 1);  // x = 0
  for (int8_t o : out) EXPECT_TRUE(o == 1 || o == -1) << int{o};
  EXPECT_EQ(out, Oracle(AllInt8(), 1.0f / 16, 0, 100.0f, 0));
}

TEST(HardSwish, FloatHandChecked) {
  // x * min(6, max(0, x + 3)) / 6: -4 -> 0 (-0 * ...), -3 -> 0, -1 -> -1*2/6, 0 -> 0,
  // 1 -> 4/6, 3 -> 3, 5 -> 5.
  const auto out = RunHardSwish<float>(DataType::kFloat32, {}, {},
                                       {-4.0f, -3.0f, -1.0f, 0.0f, 1.0f, 3.0f, 5.0f});
  const std::vector<float> want = {-0.0f, -0.0f, -2.0f / 6, 0.0f, 4.0f / 6, 3.0f, 5.0f};
  ASSERT_EQ(out.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(out[i], want[i]) << i;
}

// ---- Exhaustive / randomized against the oracle ----
TEST(HardSwish, Int8ExhaustiveMatchesOracle) {
  const std::vector<int8_t> all = AllInt8();
  const float scales_in[] = {1e-8f, 1e-4f, 0.005f, 0.0117f, 0.02f, 1.0f / 16, 0.1f, 0.37f, 2.0f};
  const float ratios[] = {1.0f, 0.5f, 0.13f, 2.0f, 7.5f, 127.0f, 1e-3f, 1e-6f};
  for (float s_in : scales_in) {
    for (float ratio : ratios) {
      for (int32_t zi : {-128, -3, 0, 40, 127}) {
        for (int32_t zo : {-128, -90, 0, 127}) {
          const float s_out = s_in / ratio;
          SCOPED_TRACE(::testing::Message()
                       << "s_in=" << s_in << " s_out=" << s_out << " zi=" << zi << " zo=" << zo);
          ASSERT_EQ(RunHardSwish<int8_t>(DataType::kInt8, QuantSpec::PerTensor(s_in, zi),
                                         QuantSpec::PerTensor(s_out, zo), all),
                    Oracle(all, s_in, zi, s_out, zo));
        }
      }
    }
  }
}

TEST(HardSwish, Int8RandomScalesMatchOracle) {
  const std::vector<int8_t> all = AllInt8();
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> log_scale(-12.0f, 2.0f);
    const float s_in = std::exp2(log_scale(rng));
    const float s_out = s_in * std::exp2(std::uniform_real_distribution<float>(-6.0f, 6.9f)(rng));
    const int32_t zi = static_cast<int32_t>(rng() % 256) - 128;
    const int32_t zo = static_cast<int32_t>(rng() % 256) - 128;
    ASSERT_EQ(RunHardSwish<int8_t>(DataType::kInt8, QuantSpec::PerTensor(s_in, zi),
                                   QuantSpec::PerTensor(s_out, zo), all),
              Oracle(all, s_in, zi, s_out, zo));
  }
}

TEST(HardSwish, FloatMatchesFormula) {
  std::vector<float> x;
  for (int i = -300; i <= 300; ++i) x.push_back(static_cast<float>(i) * 0.0371f);
  const auto out = RunHardSwish<float>(DataType::kFloat32, {}, {}, x);
  ASSERT_EQ(out.size(), x.size());
  for (size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(out[i], x[i] * std::min(6.0f, std::max(0.0f, x[i] + 3)) / 6) << x[i];
  }
}

// ---- Errors ----
TEST(HardSwish, RejectsBadInputs) {
  // int16 is not supported by TFLM's HARD_SWISH.
  Status s = LoadStatus(BuildHardSwish(DataType::kInt16, {4}, {4}, QuantSpec::PerTensor(0.1f, 0),
                                       QuantSpec::PerTensor(0.1f, 0), DataType::kInt16));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("HARD_SWISH"), std::string::npos) << s.message();
  EXPECT_NE(std::string(s.message()).find("int16"), std::string::npos) << s.message();

  // Output multiplier exponent must be <= 0: s_in / s_out >= 128 is rejected.
  s = LoadStatus(BuildHardSwish(DataType::kInt8, {4}, {4}, QuantSpec::PerTensor(1.0f, 0),
                                QuantSpec::PerTensor(1.0f / 256, 0), DataType::kInt8));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("too large"), std::string::npos) << s.message();

  s = LoadStatus(BuildHardSwish(DataType::kFloat32, {4}, {5}, {}, {}, DataType::kFloat32));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("shape"), std::string::npos) << s.message();

  s = LoadStatus(BuildHardSwish(DataType::kInt8, {4}, {4}, QuantSpec::PerTensor(0.0f, 0),
                                QuantSpec::PerTensor(0.1f, 0), DataType::kInt8));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("scale"), std::string::npos) << s.message();
}

}  // namespace
}  // namespace tv
