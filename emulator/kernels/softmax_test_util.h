// SOFTMAX test support: an oracle that is a literal transcription of
// tflm-int8-arithmetic.md §2, §3, §9, §10 and §15, written independently of the kernel (its
// primitives use int64 formulations of the doc's rules rather than the kernel's helpers), and
// single-op model helpers. Used by softmax_test.cc and softmax_oracle_test.cc.
#ifndef TINYVERIFY_EMULATOR_KERNELS_SOFTMAX_TEST_UTIL_H_
#define TINYVERIFY_EMULATOR_KERNELS_SOFTMAX_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "emulator/builtin_ops.h"
#include "tests/support/model_builder.h"

namespace tv {
namespace softmax_test {

using testing::LoadedModel;
using testing::ModelBuilder;
using testing::QuantSpec;

// ---- Oracle: §2 primitives (int64 formulations) ----
inline constexpr int32_t kMin32 = std::numeric_limits<int32_t>::min();
inline constexpr int32_t kMax32 = std::numeric_limits<int32_t>::max();

inline int32_t Wrap(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }
inline int32_t Srdhm(int32_t a, int32_t b) {  // floor((a*b + 2^30) / 2^31)
  if (a == kMin32 && b == kMin32) return kMax32;
  const int64_t p = static_cast<int64_t>(a) * b + (int64_t{1} << 30);
  return static_cast<int32_t>(p >> 31);  // arithmetic shift = floor
}
inline int32_t Rdbpot(int32_t x, int e) {  // x / 2^e, ties away from zero
  if (e == 0) return x;
  const int64_t d = int64_t{1} << e;
  const int64_t v = x;
  return static_cast<int32_t>(v >= 0 ? (v + d / 2) / d : -((-v + d / 2) / d));
}
inline int32_t Srmpot(int32_t x, int k) {
  if (k <= 0) return Rdbpot(x, -k);
  const int64_t v = static_cast<int64_t>(x) * (int64_t{1} << k);
  return static_cast<int32_t>(v > kMax32 ? kMax32 : (v < kMin32 ? kMin32 : v));
}
inline int32_t RoundingHalfSum(int32_t a, int32_t b) {
  const int64_t s = static_cast<int64_t>(a) + b;
  return static_cast<int32_t>((s + (s >= 0 ? 1 : -1)) / 2);
}
inline void QuantizeMultiplier(double m, int32_t* q, int* shift) {  // §3
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
inline int32_t Mbqm(int32_t x, int32_t m, int shift) {  // §4
  const int32_t t = Wrap(static_cast<int64_t>(x) * (int64_t{1} << (shift > 0 ? shift : 0)));
  return Rdbpot(Srdhm(t, m), shift > 0 ? 0 : -shift);
}

// ---- Oracle: §9 ----
inline int32_t ExpInterval(int32_t a) {
  const int32_t x = Wrap(int64_t{a} + (1 << 28));
  const int32_t x2 = Srdhm(x, x), x3 = Srdhm(x2, x), x4 = Srdhm(x2, x2);
  const int32_t x4q = Rdbpot(x4, 2);
  const int32_t p = Rdbpot(Wrap(int64_t{Srdhm(Wrap(int64_t{x4q} + x3), 715827883)} + x2), 1);
  return Wrap(int64_t{1895147668} + Srdhm(1895147668, Wrap(int64_t{x} + p)));
}
inline int32_t ExpNeg(int32_t a, int m) {
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
inline int32_t NewtonQ2(int32_t a) {
  const int32_t hd = RoundingHalfSum(a, kMax32);
  int32_t x = Wrap(int64_t{1515870810} + Srdhm(hd, -1010580540));
  for (int i = 0; i < 3; ++i) {
    const int32_t o = Wrap((int64_t{1} << 29) - Srdhm(hd, x));
    x = Wrap(int64_t{x} + Srmpot(Srdhm(x, o), 2));
  }
  return x;
}
inline int32_t OneOverOnePlusX(int32_t a) { return Srmpot(NewtonQ2(a), 1); }
inline int32_t OneMinusXOverOnePlusX(int32_t a) {
  return Srmpot(Wrap(int64_t{NewtonQ2(a)} - (1 << 29)), 2);
}
inline int32_t Logistic(int32_t a) {
  if (a == 0) return 1 << 30;
  const int32_t p = a > 0 ? a : Wrap(-int64_t{a});
  const int32_t r = OneOverOnePlusX(ExpNeg(Wrap(-int64_t{p}), 4));
  return a > 0 ? r : Wrap(int64_t{kMax32} - r);
}
inline int32_t Tanh(int32_t a) {
  if (a == 0) return 0;
  const int32_t n = a < 0 ? a : Wrap(-int64_t{a});
  const int32_t t = OneMinusXOverOnePlusX(ExpNeg(n, 5));
  return a < 0 ? Wrap(-int64_t{t}) : t;
}
inline int Clz(uint32_t x) {
  int n = 0;
  for (int b = 31; b >= 0 && !((x >> b) & 1); --b) ++n;
  return n;
}

// ---- Oracle: §10 int8 softmax over one row ----
template <typename OutT>
inline std::vector<OutT> SoftmaxInt8Row(const std::vector<int8_t>& x, float beta, float s_in) {
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
inline std::vector<int16_t> Lut(float si, int32_t zi, float so, int32_t zo, float (*f)(float)) {
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
inline int16_t Lookup(int32_t v, const std::vector<int16_t>& lut) {
  const int idx = 256 + (v >> 7);
  const int16_t slope = static_cast<int16_t>(lut[idx + 1] - lut[idx]);
  return static_cast<int16_t>(lut[idx] + ((slope * (v & 0x7F) + 64) >> 7));
}
inline float ExpF(float v) { return std::exp(v); }
inline float RecipF(float v) { return 1.0f / (1.0f + v); }

inline std::vector<int16_t> SoftmaxInt16Row(const std::vector<int16_t>& x, float beta, float s_in) {
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
inline tflite::BuiltinOptionsUnion SoftmaxOptions(float beta) {
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

inline std::vector<uint8_t> BuildSoftmax(const Config& c) {
  ModelBuilder b;
  const int in = b.AddTensor(c.in_type, c.shape, c.in_q, "x");
  const int out = b.AddTensor(c.out_type, c.shape, c.out_q, "y");
  b.AddOperator(op::kSoftmax, {in}, {out}, SoftmaxOptions(c.beta));
  b.SetGraphIO({in}, {out});
  return b.Build();
}

template <typename InT, typename OutT>
inline std::vector<OutT> RunSoftmax(const Config& c, const std::vector<InT>& input) {
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

inline const QuantSpec kOut8 = QuantSpec::PerTensor(1.0f / 256, -128);
inline const QuantSpec kOut16From8 = QuantSpec::PerTensor(1.0f / 65536, -32768);
inline const QuantSpec kOut16 = QuantSpec::PerTensor(1.0f / 32768, 0);

inline std::string LoadError(const Config& c) {
  LoadedModel m;
  Status s = m.Load(BuildSoftmax(c));
  return s.ok() ? std::string() : std::string(s.message());
}

}  // namespace softmax_test
}  // namespace tv

#endif  // TINYVERIFY_EMULATOR_KERNELS_SOFTMAX_TEST_UTIL_H_
