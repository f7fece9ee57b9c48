// SOFTMAX tests. The oracle below is a literal transcription of tflm-int8-arithmetic.md §2, §3,
// §9, §10 and §15, written independently of the kernel (its primitives use int64 formulations
// of the doc's rules rather than the kernel's helpers). The SoftmaxFixedPoint tests also check
// emulator/kernels/fixedpoint.h against it, which the LOGISTIC and TANH tests rely on.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "emulator/kernels/fixedpoint.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

// ---- Oracle: §2 primitives (int64 formulations) ----
constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();

int32_t Wrap(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }
int32_t Srdhm(int32_t a, int32_t b) {  // floor((a*b + 2^30) / 2^31)
  if (a == kMin32 && b == kMin32) return kMax32;
  const int64_t p = static_cast<int64_t>(a) * b + (int64_t{1} << 30);
  return static_cast<int32_t>(p >> 31);  // arithmetic shift = floor
}
int32_t Rdbpot(int32_t x, int e) {  // x / 2^e, ties away from zero
  if (e == 0) return x;
  const int64_t d = int64_t{1} << e;
  const int64_t v = x;
  return static_cast<int32_t>(v >= 0 ? (v + d / 2) / d : -((-v + d / 2) / d));
}
int32_t Srmpot(int32_t x, int k) {
  if (k <= 0) return Rdbpot(x, -k);
  const int64_t v = static_cast<int64_t>(x) * (int64_t{1} << k);
  return static_cast<int32_t>(v > kMax32 ? kMax32 : (v < kMin32 ? kMin32 : v));
}
int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t s = static_cast<int64_t>(a) + b;
  return static_cast<int32_t>((s + (s >= 0 ? 1 : -1)) / 2);
}
void QuantizeMultiplier(double m, int32_t* q, int* shift) {  // §3
  if (m == 0) {
    *q = 0;
    *shift = 0;
    return;
  }
  int64_t qf = static_cast<int64_t>(std::round(std::frexp(m, shift) * 2147483648.0));
  if (qf == (int64_t{1} << 31)) {
    qf = int64_t{1} << 30;
    ++*shift;
  }
  if (*shift < -31) {
    *shift = 0;
    qf = 0;
  }
  *q = static_cast<int32_t>(qf);
}
int32_t Mbqm(int32_t x, int32_t m, int shift) {  // §4
  const int32_t t = Wrap(static_cast<int64_t>(x) * (int64_t{1} << (shift > 0 ? shift : 0)));
  return Rdbpot(Srdhm(t, m), shift > 0 ? 0 : -shift);
}

// ---- Oracle: §9 ----
int32_t ExpInterval(int32_t a) {
  const int32_t x = Wrap(int64_t{a} + (1 << 28));
  const int32_t x2 = Srdhm(x, x), x3 = Srdhm(x2, x), x4 = Srdhm(x2, x2);
  const int32_t x4q = Rdbpot(x4, 2);
  const int32_t p = Rdbpot(Wrap(int64_t{Srdhm(Wrap(int64_t{x4q} + x3), 715827883)} + x2), 1);
  return Wrap(int64_t{1895147668} + Srdhm(1895147668, Wrap(int64_t{x} + p)));
}
int32_t ExpNeg(int32_t a, int m) {
  const int f = 31 - m;
  const int32_t q = int32_t{1} << (f - 2);
  const int32_t t = Wrap(int64_t{a & (q - 1)} - q);
  int32_t r = ExpInterval(Srmpot(t, m));
  const int64_t rem = int64_t{t} - a;
  const int ks[7] = {-2, -1, 0, 1, 2, 3, 4};
  const int32_t cs[7] = {1672461947, 1302514674, 790015084, 290630308, 39332535, 720401, 242};
  for (int i = 0; i < 7; ++i) {
    if (m > ks[i] && ((rem >> (f + ks[i])) & 1)) r = Srdhm(r, cs[i]);
  }
  if (m > 5 && int64_t{a} < -(int64_t{1} << (f + 5))) r = 0;
  if (a == 0) r = kMax32;
  return r;
}
int32_t NewtonQ2(int32_t a) {
  const int32_t hd = RoundingHalfSum(a, kMax32);
  int32_t x = Wrap(int64_t{1515870810} + Srdhm(hd, -1010580540));
  for (int i = 0; i < 3; ++i) {
    const int32_t o = Wrap((int64_t{1} << 29) - Srdhm(hd, x));
    x = Wrap(int64_t{x} + Srmpot(Srdhm(x, o), 2));
  }
  return x;
}
int32_t OneOverOnePlusX(int32_t a) { return Srmpot(NewtonQ2(a), 1); }
int32_t OneMinusXOverOnePlusX(int32_t a) {
  return Srmpot(Wrap(int64_t{NewtonQ2(a)} - (1 << 29)), 2);
}
int32_t Logistic(int32_t a) {
  if (a == 0) return 1 << 30;
  const int32_t p = a > 0 ? a : Wrap(-int64_t{a});
  const int32_t r = OneOverOnePlusX(ExpNeg(Wrap(-int64_t{p}), 4));
  return a > 0 ? r : Wrap(int64_t{kMax32} - r);
}
int32_t Tanh(int32_t a) {
  if (a == 0) return 0;
  const int32_t n = a < 0 ? a : Wrap(-int64_t{a});
  const int32_t t = OneMinusXOverOnePlusX(ExpNeg(n, 5));
  return a < 0 ? Wrap(-int64_t{t}) : t;
}
int Clz(uint32_t x) {
  int n = 0;
  for (int b = 31; b >= 0 && !((x >> b) & 1); --b) ++n;
  return n;
}

// ---- Oracle: §10 int8 softmax over one row ----
template <typename OutT>
std::vector<OutT> SoftmaxInt8Row(const std::vector<int8_t>& x, float beta, float s_in) {
  const double real = std::min(static_cast<double>(beta) * s_in * 67108864.0, 2147483647.0);
  int32_t mb;
  int lb;
  QuantizeMultiplier(real, &mb, &lb);
  const int32_t diff_min =
      static_cast<int32_t>(-std::floor(31.0 * 67108864.0 / std::ldexp(1.0, lb)));
  int32_t mx = -128;
  for (int8_t v : x) mx = std::max<int32_t>(mx, v);
  int32_t sum = 0;
  auto exp_of = [&](int32_t d) { return ExpNeg(Srdhm(d * (1 << lb), mb), 5); };
  for (int8_t v : x) {
    const int32_t d = v - mx;
    if (d >= diff_min) sum = Wrap(int64_t{sum} + Rdbpot(exp_of(d), 12));
  }
  const int h = Clz(static_cast<uint32_t>(sum));
  const int nbou = 12 - h;
  const int32_t scale = OneOverOnePlusX(Wrap((int64_t{sum} << h) - (int64_t{1} << 31)));
  const int bits = sizeof(OutT) * 8;
  const int32_t out_min = std::numeric_limits<OutT>::min(),
                out_max = std::numeric_limits<OutT>::max();
  const int e = nbou + 31 - bits;
  std::vector<OutT> out;
  for (int8_t v : x) {
    const int32_t d = v - mx;
    int32_t o = out_min;
    if (d >= diff_min)
      o = std::min(std::max(Rdbpot(Srdhm(scale, exp_of(d)), e) + out_min, out_min), out_max);
    out.push_back(static_cast<OutT>(o));
  }
  return out;
}

// ---- Oracle: §15 LUTs and §10 int16 softmax ----
std::vector<int16_t> Lut(float si, int32_t zi, float so, int32_t zo, float (*f)(float)) {
  const float in_min = si * (-32768 - zi), in_max = si * (32767 - zi);
  const float out_min = so * (-32768 - zo), out_max = so * (32767 - zo);
  const float step = (in_max - in_min) / 512, half = step / 2, inv = 65536 / (out_max - out_min);
  std::vector<int16_t> lut(513);
  for (int i = 0; i < 512; ++i) {
    const float v = f(in_min + i * step), vm = f(in_min + i * step + half);
    const float vn = f(in_min + (i + 1) * step);
    const float sample = std::round(v * inv);
    const float interp = std::round((vn * inv + std::round(v * inv)) / 2);
    const float bias = std::round((interp - std::round(vm * inv)) / 2);
    lut[i] = static_cast<int16_t>(std::min(std::max(sample - bias, -32768.0f), 32767.0f));
  }
  lut[512] =
      static_cast<int16_t>(std::min(std::max(std::round(f(in_max) * inv), -32768.0f), 32767.0f));
  return lut;
}
int16_t Lookup(int32_t v, const std::vector<int16_t>& lut) {
  const int idx = 256 + (v >> 7);
  const int16_t slope = static_cast<int16_t>(lut[idx + 1] - lut[idx]);
  return static_cast<int16_t>(lut[idx] + ((slope * (v & 0x7F) + 64) >> 7));
}
float ExpF(float v) { return std::exp(v); }
float RecipF(float v) { return 1.0f / (1.0f + v); }

std::vector<int16_t> SoftmaxInt16Row(const std::vector<int16_t>& x, float beta, float s_in) {
  static const std::vector<int16_t> exp_lut =
      Lut(10.0f / 65535.0f, 32767, 2.0f / 65535.0f, 0, ExpF);
  static const std::vector<int16_t> rec_lut =
      Lut(1.0f / 65535.0f, -32768, 2.0f / 65535.0f, 0, RecipF);
  int32_t m;
  int l;
  QuantizeMultiplier(static_cast<double>(s_in) * beta / (10.0 / 65535.0), &m, &l);
  int32_t mx = -32768;
  for (int16_t v : x) mx = std::max<int32_t>(mx, v);
  std::vector<int32_t> ec;
  int32_t sum = 0;
  for (int16_t v : x) {
    const int32_t sd = std::min(std::max(Mbqm(v - mx, m, l) + 32767, -32768), 32767);
    ec.push_back(Lookup(sd, exp_lut));
    sum += ec.back();
  }
  const int h = Clz(static_cast<uint32_t>(sum));
  const int32_t sh =
      static_cast<int32_t>(((static_cast<int64_t>(sum) << (h - 1)) + (1 << 13)) >> 14);
  const int32_t rc = Lookup(std::min(std::max(sh - (1 << 15) - (1 << 16), -32768), 32767), rec_lut);
  const int rs = 31 - h;
  std::vector<int16_t> out;
  for (int32_t e : ec) {
    const int64_t r = (static_cast<int64_t>(e) * rc + (int64_t{1} << (rs - 1))) >> rs;
    out.push_back(static_cast<int16_t>(std::min<int64_t>(std::max<int64_t>(r, 0), 32767)));
  }
  return out;
}

// ---- Model helpers ----
tflite::BuiltinOptionsUnion SoftmaxOptions(float beta) {
  tflite::BuiltinOptionsUnion u;
  tflite::SoftmaxOptionsT o;
  o.beta = beta;
  u.Set(o);
  return u;
}

struct Config {
  DataType in_type, out_type;
  std::vector<int32_t> shape;
  QuantSpec in_q, out_q;
  float beta = 1.0f;
};

std::vector<uint8_t> BuildSoftmax(const Config& c) {
  ModelBuilder b;
  const int in = b.AddTensor(c.in_type, c.shape, c.in_q, "x");
  const int out = b.AddTensor(c.out_type, c.shape, c.out_q, "y");
  b.AddOperator(op::kSoftmax, {in}, {out}, SoftmaxOptions(c.beta));
  b.SetGraphIO({in}, {out});
  return b.Build();
}

template <typename InT, typename OutT>
std::vector<OutT> RunSoftmax(const Config& c, const std::vector<InT>& input) {
  LoadedModel m;
  Status s = m.Load(BuildSoftmax(c));
  EXPECT_TRUE(s.ok()) << s.message();
  if (!s.ok()) return {};
  m.SetInput<InT>(0, input);
  s = m.interpreter().Invoke();
  EXPECT_TRUE(s.ok()) << s.message();
  EXPECT_TRUE(m.interpreter().GuardsIntact());
  return m.Output<OutT>(0);
}

const QuantSpec kOut8 = QuantSpec::PerTensor(1.0f / 256, -128);
const QuantSpec kOut16From8 = QuantSpec::PerTensor(1.0f / 65536, -32768);
const QuantSpec kOut16 = QuantSpec::PerTensor(1.0f / 32768, 0);

std::string LoadError(const Config& c) {
  LoadedModel m;
  Status s = m.Load(BuildSoftmax(c));
  return s.ok() ? std::string() : std::string(s.message());
}

// ---- Fixed-point primitives vs the oracle ----
TEST(SoftmaxFixedPoint, ExpOnNegativeValuesMatchesOracle) {
  std::mt19937 rng(1234);
  for (int m : {0, 1, 4, 5, 6, 12}) {
    SCOPED_TRACE(m);
    for (int i = 0; i < 20000; ++i) {
      const int32_t a = i < 64 ? -i : -static_cast<int32_t>(rng() & 0x7FFFFFFF);
      ASSERT_EQ(fp::ExpOnNegativeValues(a, m), ExpNeg(a, m)) << "a=" << a;
    }
    ASSERT_EQ(fp::ExpOnNegativeValues(kMin32, m), ExpNeg(kMin32, m));
  }
}

TEST(SoftmaxFixedPoint, ReciprocalLogisticTanhMatchOracle) {
  std::mt19937 rng(99);
  for (int i = 0; i < 50000; ++i) {
    const int32_t a = static_cast<int32_t>(rng());
    SCOPED_TRACE(a);
    ASSERT_EQ(fp::LogisticQ4(a), Logistic(a));
    ASSERT_EQ(fp::TanhQ4(a), Tanh(a));
    const int32_t pos = a & 0x7FFFFFFF;
    ASSERT_EQ(fp::OneOverOnePlusX(pos), OneOverOnePlusX(pos));
    ASSERT_EQ(fp::OneMinusXOverOnePlusX(pos), OneMinusXOverOnePlusX(pos));
  }
  for (int32_t a : {0, 1, -1, kMax32, kMin32, kMin32 + 1}) {
    EXPECT_EQ(fp::LogisticQ4(a), Logistic(a)) << a;
    EXPECT_EQ(fp::TanhQ4(a), Tanh(a)) << a;
  }
  // Hand-checked: exp(0) = 1 (INT32_MAX in Q0); logistic(0) = 1/2; tanh(0) = 0;
  // 1/(1+0) ~ 1 saturates to INT32_MAX after the final doubling.
  EXPECT_EQ(fp::ExpOnNegativeValues(0, 5), kMax32);
  EXPECT_EQ(fp::LogisticQ4(0), 1 << 30);
  EXPECT_EQ(fp::TanhQ4(0), 0);
  EXPECT_NEAR(fp::OneOverOnePlusX(0) / 2147483648.0, 1.0, 1e-8);
  EXPECT_NEAR(fp::OneOverOnePlusX(kMax32) / 2147483648.0, 0.5, 1e-8);
  // exp(-1) with a = -1 in Q5 (raw -2^26).
  EXPECT_NEAR(fp::ExpOnNegativeValues(-(1 << 26), 5) / 2147483648.0, std::exp(-1.0), 1e-6);
}

// ---- Hand-checked cases ----
TEST(Softmax, Int8HandChecked) {
  // One element: sum = exp(0) = 2^19 in Q12 -> 1/sum = ~2^31 (nbou 0), E = 23 ->
  // 2^31 / 2^23 - 128 = 128 -> clamps to 127.
  // Two equal elements: sum = 2^20 -> nbou 1, scale ~2^31, E = 24 -> 128 - 128 = 0 (= 0.5).
  Config c{DataType::kInt8, DataType::kInt8, {3, 2}, QuantSpec::PerTensor(0.1f, 3), kOut8};
  // rows: [5, 5] equal; [127, -128] diff -255 is below diff_min -> -128 for it, 127 for max;
  // [-128, -128] equal.
  EXPECT_EQ((RunSoftmax<int8_t, int8_t>(c, {5, 5, 127, -128, -128, -128})),
            (std::vector<int8_t>{0, 0, 127, -128, 0, 0}));
  Config single{DataType::kInt8, DataType::kInt8, {1}, QuantSpec::PerTensor(0.5f, 0), kOut8};
  EXPECT_EQ((RunSoftmax<int8_t, int8_t>(single, {-7})), (std::vector<int8_t>{127}));
}

TEST(Softmax, Int8DiffMinCutOff) {
  // s_in = 1, beta = 1: real = 2^26 -> M = 2^30, shift 27; diff_min = -floor(31*2^26/2^27)
  // = -15. Diff -16 is cut (-128). Diff -15: exp(-15)*2^31 ~ 656 rounds to 0 in the Q12 sum
  // and to 0 in the output (656 / 2^23), so that entry is also -128 but via the exp path.
  Config c{DataType::kInt8, DataType::kInt8, {2, 2}, QuantSpec::PerTensor(1.0f, 0), kOut8};
  EXPECT_EQ((RunSoftmax<int8_t, int8_t>(c, {0, -16, 0, -15})),
            (std::vector<int8_t>{127, -128, 127, -128}));
}

TEST(Softmax, Int8ToInt16HandChecked) {
  // One element: E = 0 + 31 - 16 = 15 -> 2^31/2^15 - 32768 = 32768 -> clamps to 32767.
  // Two equal: E = 16 -> 32768 - 32768 = 0 (= 0.5 at scale 1/65536, zp -32768).
  Config c{DataType::kInt8, DataType::kInt16, {1, 2}, QuantSpec::PerTensor(0.1f, 0), kOut16From8};
  EXPECT_EQ((RunSoftmax<int8_t, int16_t>(c, {9, 9})), (std::vector<int16_t>{0, 0}));
  c.shape = {1};
  EXPECT_EQ((RunSoftmax<int8_t, int16_t>(c, {9})), (std::vector<int16_t>{32767}));
}

TEST(Softmax, FloatHandChecked) {
  // [1, 2]: e = [exp(-1), 1], out = [1/(1+e^-1), e^0/(1+e^-1)] = [0.2689414, 0.7310586].
  // [0, 0, 0, 0]: 0.25 each. beta 2 on [0, ln 3 / 2]: e = [1/3, 1] -> [0.25, 0.75].
  Config c{DataType::kFloat32, DataType::kFloat32, {2, 2}, {}, {}};
  auto out = RunSoftmax<float, float>(c, {1.0f, 2.0f, 3.0f, 3.0f});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_NEAR(out[0], 0.26894142f, 1e-6f);
  EXPECT_NEAR(out[1], 0.73105858f, 1e-6f);
  EXPECT_EQ(out[2], 0.5f);
  EXPECT_EQ(out[3], 0.5f);
  Config c4{DataType::kFloat32, DataType::kFloat32, {1, 4}, {}, {}};
  EXPECT_EQ((RunSoftmax<float, float>(c4, {-3, -3, -3, -3})), (std::vector<float>(4, 0.25f)));
  Config cb{DataType::kFloat32, DataType::kFloat32, {2}, {}, {}, 2.0f};
  out = RunSoftmax<float, float>(cb, {0.0f, std::log(3.0f) / 2});
  EXPECT_NEAR(out[0], 0.25f, 1e-6f);
  EXPECT_NEAR(out[1], 0.75f, 1e-6f);
}

TEST(Softmax, FloatMatchesTflmOrder) {
  // Bit-exact against the §17 order: expf((x - max) * beta), running sum, divide.
  std::mt19937 rng(7);
  std::uniform_real_distribution<float> dist(-8.0f, 8.0f);
  Config c{DataType::kFloat32, DataType::kFloat32, {3, 17}, {}, {}, 0.7f};
  std::vector<float> x(51);
  for (float& v : x) v = dist(rng);
  const auto out = RunSoftmax<float, float>(c, x);
  for (int r = 0; r < 3; ++r) {
    float mx = std::numeric_limits<float>::lowest(), sum = 0.0f;
    for (int i = 0; i < 17; ++i) mx = std::max(mx, x[r * 17 + i]);
    std::vector<float> e(17);
    for (int i = 0; i < 17; ++i) sum += e[i] = std::exp((x[r * 17 + i] - mx) * 0.7f);
    for (int i = 0; i < 17; ++i) EXPECT_EQ(out[r * 17 + i], e[i] / sum) << r << "," << i;
  }
}

TEST(Softmax, Int16HandChecked) {
  // One element: 1.0 saturates to 32767; two equal elements give ~0.5 (16384 +- 1 from the
  // LUT interpolation); exactness is checked against the oracle in the randomized test.
  Config c{
      DataType::kInt16, DataType::kInt16, {2, 2}, QuantSpec::PerTensor(1.0f / 1024, 0), kOut16};
  const auto out = RunSoftmax<int16_t, int16_t>(c, {100, 100, 0, -32768});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_NEAR(out[0], 16384, 1);
  EXPECT_EQ(out[0], out[1]);
  EXPECT_NEAR(out[2], 32767, 2);
  // Diff -32 is below the LUT's range [-10, 0]: it clamps to exp(-10) * 32768 ~ 1.5, so the
  // output is 1 or 2, not 0.
  EXPECT_GE(out[3], 1);
  EXPECT_LE(out[3], 2);
}

// ---- Exhaustive / randomized against the oracle ----
TEST(Softmax, Int8AllDiffsAllScalesMatchOracle) {
  // Rows [v, 127] and [v, -128] cover every diff in [-255, 255] for each (scale, beta).
  for (float s_in : {0.00390625f, 0.02f, 0.0625f, 0.1f, 0.3f, 1.0f, 4.5f}) {
    for (float beta : {1.0f, 0.5f, 2.0f}) {
      SCOPED_TRACE(::testing::Message() << "s_in=" << s_in << " beta=" << beta);
      Config c{
          DataType::kInt8, DataType::kInt8, {512, 2}, QuantSpec::PerTensor(s_in, -3), kOut8, beta};
      Config c16 = c;
      c16.out_type = DataType::kInt16;
      c16.out_q = kOut16From8;
      std::vector<int8_t> x;
      std::vector<int8_t> want8;
      std::vector<int16_t> want16;
      for (int v = -128; v < 128; ++v) {
        for (int8_t other : {int8_t{127}, int8_t{-128}}) {
          const std::vector<int8_t> row = {static_cast<int8_t>(v), other};
          x.insert(x.end(), row.begin(), row.end());
          for (int8_t o : SoftmaxInt8Row<int8_t>(row, beta, s_in)) want8.push_back(o);
          for (int16_t o : SoftmaxInt8Row<int16_t>(row, beta, s_in)) want16.push_back(o);
        }
      }
      ASSERT_EQ((RunSoftmax<int8_t, int8_t>(c, x)), want8);
      ASSERT_EQ((RunSoftmax<int8_t, int16_t>(c16, x)), want16);
    }
  }
}

TEST(Softmax, Int8RandomRowsMatchOracle) {
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    std::mt19937 rng(seed);
    const int depth = 1 + static_cast<int>(rng() % 300);
    const int rows = 1 + static_cast<int>(rng() % 4);
    const float s_in = std::ldexp(1.0f + (rng() % 1000) / 1000.0f, -static_cast<int>(rng() % 9));
    const float beta = (seed % 3 == 0) ? 1.0f : 0.25f + (rng() % 100) / 25.0f;
    // Narrow input ranges make many near-ties; wide ones exercise the cut-off.
    const int spread = 1 + static_cast<int>(rng() % 256);
    std::vector<int8_t> x(static_cast<size_t>(rows) * depth);
    for (int8_t& v : x) v = static_cast<int8_t>(127 - static_cast<int>(rng() % spread));
    std::vector<int8_t> want8;
    std::vector<int16_t> want16;
    for (int r = 0; r < rows; ++r) {
      const std::vector<int8_t> row(x.begin() + r * depth, x.begin() + (r + 1) * depth);
      for (int8_t o : SoftmaxInt8Row<int8_t>(row, beta, s_in)) want8.push_back(o);
      for (int16_t o : SoftmaxInt8Row<int16_t>(row, beta, s_in)) want16.push_back(o);
    }
    Config c{DataType::kInt8, DataType::kInt8,
             {rows, depth},   QuantSpec::PerTensor(s_in, 5),
             kOut8,           beta};
    if (depth <= 256) {
      ASSERT_EQ((RunSoftmax<int8_t, int8_t>(c, x)), want8);
    }
    c.out_type = DataType::kInt16;
    c.out_q = kOut16From8;
    ASSERT_EQ((RunSoftmax<int8_t, int16_t>(c, x)), want16);
  }
}

TEST(Softmax, Int16RandomRowsMatchOracle) {
  for (uint32_t seed = 1; seed <= 30; ++seed) {
    SCOPED_TRACE(::testing::Message() << "seed=" << seed);
    std::mt19937 rng(seed);
    const int depth = 1 + static_cast<int>(rng() % 200);
    const int rows = 1 + static_cast<int>(rng() % 3);
    const float s_in =
        std::ldexp(1.0f + (rng() % 1000) / 1000.0f, -6 - static_cast<int>(rng() % 10));
    const float beta = (seed % 2 == 0) ? 1.0f : 0.5f + (rng() % 100) / 50.0f;
    std::vector<int16_t> x(static_cast<size_t>(rows) * depth);
    for (int16_t& v : x) v = static_cast<int16_t>(static_cast<int32_t>(rng() % 65536) - 32768);
    std::vector<int16_t> want;
    for (int r = 0; r < rows; ++r) {
      const std::vector<int16_t> row(x.begin() + r * depth, x.begin() + (r + 1) * depth);
      for (int16_t o : SoftmaxInt16Row(row, beta, s_in)) want.push_back(o);
    }
    Config c{DataType::kInt16, DataType::kInt16,
             {rows, depth},    QuantSpec::PerTensor(s_in, 0),
             kOut16,           beta};
    ASSERT_EQ((RunSoftmax<int16_t, int16_t>(c, x)), want);
  }
}

// ---- Errors ----
TEST(Softmax, RejectsBadInputs) {
  Config c{DataType::kInt32,
           DataType::kInt32,
           {1, 4},
           QuantSpec::PerTensor(1.0f, 0),
           QuantSpec::PerTensor(1.0f, 0)};
  std::string e = LoadError(c);
  EXPECT_NE(e.find("SOFTMAX"), std::string::npos) << e;
  EXPECT_NE(e.find("int32"), std::string::npos) << e;

  c = Config{DataType::kInt8,
             DataType::kInt8,
             {1, 4},
             QuantSpec::PerTensor(0.1f, 0),
             QuantSpec::PerTensor(1.0f / 128, -128)};
  e = LoadError(c);
  EXPECT_NE(e.find("1/256"), std::string::npos) << e;

  c.out_q = QuantSpec::PerTensor(1.0f / 256, 0);
  EXPECT_NE(LoadError(c).find("zero point"), std::string::npos);

  c.out_q = kOut8;
  c.beta = 0.0f;  // QuantizeMultiplierGreaterThanOne would abort in TFLM
  EXPECT_NE(LoadError(c).find("beta"), std::string::npos);

  c = Config{DataType::kFloat32, DataType::kInt8, {1, 4}, {}, kOut8};
  EXPECT_NE(LoadError(c).find("float32"), std::string::npos);

  c = Config{DataType::kInt16, DataType::kInt8, {1, 4}, QuantSpec::PerTensor(0.1f, 0), kOut8};
  EXPECT_NE(LoadError(c).find("int16"), std::string::npos);

  // Output shape must match the input shape.
  ModelBuilder b;
  const int in = b.AddTensor(DataType::kFloat32, {1, 4}, {}, "x");
  const int out = b.AddTensor(DataType::kFloat32, {1, 5}, {}, "y");
  b.AddOperator(op::kSoftmax, {in}, {out}, SoftmaxOptions(1.0f));
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  Status s = m.Load(b.Build());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.message()).find("shape"), std::string::npos) << s.message();
}

TEST(Softmax, AbsentOptionsMeanBetaZero) {
  // Absent options table -> beta = 0 (TFLM zero-initialises): float softmax is then uniform.
  ModelBuilder b;
  const int in = b.AddTensor(DataType::kFloat32, {1, 4}, {}, "x");
  const int out = b.AddTensor(DataType::kFloat32, {1, 4}, {}, "y");
  b.AddOperator(op::kSoftmax, {in}, {out});
  b.SetGraphIO({in}, {out});
  LoadedModel m;
  ASSERT_TRUE(m.Load(b.Build()).ok());
  m.SetInput<float>(0, {1.0f, 5.0f, -2.0f, 0.0f});
  ASSERT_TRUE(m.interpreter().Invoke().ok());
  EXPECT_EQ(m.Output<float>(0), (std::vector<float>(4, 0.25f)));
}

TEST(Softmax, Int8LongRowOverflowIsAnError) {
  // 600 equal values: sum = 600 * 2^19 > 2^28, so the output exponent exceeds 31 — TFLM's
  // TFLITE_CHECK aborts; the emulator reports an error from Invoke instead.
  Config c{DataType::kInt8, DataType::kInt8, {1, 600}, QuantSpec::PerTensor(0.1f, 0), kOut8};
  LoadedModel m;
  ASSERT_TRUE(m.Load(BuildSoftmax(c)).ok());
  m.SetInput<int8_t>(0, std::vector<int8_t>(600, 3));
  EXPECT_FALSE(m.interpreter().Invoke().ok());
}

}  // namespace
}  // namespace tv
