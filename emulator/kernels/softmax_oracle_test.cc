// SOFTMAX against the oracle of softmax_test_util.h: exhaustive and randomized rows. The
// SoftmaxFixedPoint tests also check emulator/kernels/fixedpoint.h against it, which the
// LOGISTIC and TANH tests rely on.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "emulator/kernels/fixedpoint.h"
#include "emulator/kernels/softmax_test_util.h"

namespace tv {
namespace softmax_test {
namespace {

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

}  // namespace
}  // namespace softmax_test
}  // namespace tv
