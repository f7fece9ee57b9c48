#include "compare/stats.h"

#include <gtest/gtest.h>

namespace tv {
namespace {

TEST(Stats, WilsonWorkedExample) {
  // 8 of 10: the textbook Wilson 95% interval is [0.4902, 0.9433].
  const stats::Interval ci = stats::Wilson(8, 10);
  EXPECT_NEAR(ci.lo, 0.4902, 1e-4);
  EXPECT_NEAR(ci.hi, 0.9433, 1e-4);
  EXPECT_EQ(stats::Wilson(0, 0).hi, 1.0);
  EXPECT_GE(stats::Wilson(0, 5).lo, 0.0);
  EXPECT_LE(stats::Wilson(5, 5).hi, 1.0);
}

TEST(Stats, McNemarExactWorkedExample) {
  // b=10, c=2: p = 2 * (C(12,0)+C(12,1)+C(12,2)) / 2^12 = 158/4096.
  EXPECT_NEAR(stats::McNemarExact(10, 2), 158.0 / 4096.0, 1e-12);
  EXPECT_NEAR(stats::McNemarExact(2, 10), 158.0 / 4096.0, 1e-12);
  EXPECT_EQ(stats::McNemarExact(0, 0), 1.0);
  EXPECT_EQ(stats::McNemarExact(5, 5), 1.0);  // symmetric: capped at 1
  EXPECT_LT(stats::McNemarExact(3000, 2000), 1e-40);  // large n stays finite
}

TEST(Stats, PairedDifference) {
  stats::Interval ci;
  // 100 samples, 6 flips one way, 2 the other: d = 0.04,
  // var = (0.08 - 0.0016) / 100 -> half = 1.96 * 0.028 = 0.05488.
  const double d = stats::PairedDifference(6, 2, 100, &ci);
  EXPECT_NEAR(d, 0.04, 1e-12);
  EXPECT_NEAR(ci.lo, 0.04 - 1.959963984540054 * 0.028, 1e-9);
  EXPECT_NEAR(ci.hi, 0.04 + 1.959963984540054 * 0.028, 1e-9);
}

TEST(Stats, CohenKappaWorkedExample) {
  // [[20, 5], [10, 15]]: po = 0.7, pe = 0.5 -> kappa 0.4.
  EXPECT_NEAR(stats::CohenKappa({20, 5, 10, 15}, 2), 0.4, 1e-12);
  EXPECT_NEAR(stats::CohenKappa({7, 0, 0, 3}, 2), 1.0, 1e-12);
}

}  // namespace
}  // namespace tv
