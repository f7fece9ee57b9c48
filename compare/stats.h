// Small statistics used by the fidelity report: confidence intervals and paired tests.
// Hand-written (a few formulas); no Debian C++ library ships them in a light form.
#ifndef TINYVERIFY_COMPARE_STATS_H_
#define TINYVERIFY_COMPARE_STATS_H_

#include <cstdint>
#include <vector>

namespace tv {
namespace stats {

struct Interval {
  double lo = 0.0;
  double hi = 0.0;
};

// Wilson score interval for a binomial proportion k/n at 95% (z = 1.959964).
Interval Wilson(int64_t k, int64_t n, double z = 1.959963984540054);

// Paired difference of two proportions measured on the same n samples: `b` = first right,
// second wrong; `c` = first wrong, second right. Returns (b - c) / n with a Wald 95% interval
// on the paired difference (variance from the discordant cells).
double PairedDifference(int64_t b, int64_t c, int64_t n, Interval* ci,
                        double z = 1.959963984540054);

// Exact two-sided McNemar test: p-value of a Binomial(b + c, 1/2) as or more extreme than
// min(b, c). 1.0 when there are no discordant pairs.
double McNemarExact(int64_t b, int64_t c);

// Cohen's kappa for two raters over `k` categories given the k x k confusion counts
// (row = rater A, column = rater B). 1.0 when both raters always agree on one class.
double CohenKappa(const std::vector<int64_t>& confusion, int k);

}  // namespace stats
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_STATS_H_
