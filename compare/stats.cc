#include "compare/stats.h"

#include <algorithm>
#include <cmath>

namespace tv {
namespace stats {

Interval Wilson(int64_t k, int64_t n, double z) {
  if (n <= 0) return {0.0, 1.0};
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(k) / nn;
  const double z2 = z * z;
  const double denom = 1.0 + z2 / nn;
  const double center = (p + z2 / (2.0 * nn)) / denom;
  const double half = z * std::sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denom;
  return {std::max(0.0, center - half), std::min(1.0, center + half)};
}

double PairedDifference(int64_t b, int64_t c, int64_t n, Interval* ci, double z) {
  if (n <= 0) {
    *ci = {0.0, 0.0};
    return 0.0;
  }
  const double nn = static_cast<double>(n);
  const double d = static_cast<double>(b - c) / nn;
  const double var = (static_cast<double>(b + c) / nn - d * d) / nn;
  const double half = z * std::sqrt(std::max(0.0, var));
  *ci = {d - half, d + half};
  return d;
}

double McNemarExact(int64_t b, int64_t c) {
  const int64_t n = b + c;
  if (n == 0) return 1.0;
  const int64_t k = std::min(b, c);
  // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space to stay finite for large n.
  double tail = 0.0;
  const double log_half_n = -static_cast<double>(n) * std::log(2.0);
  for (int64_t i = 0; i <= k; ++i) {
    const double log_choose = std::lgamma(static_cast<double>(n) + 1.0) -
                              std::lgamma(static_cast<double>(i) + 1.0) -
                              std::lgamma(static_cast<double>(n - i) + 1.0);
    tail += std::exp(log_choose + log_half_n);
  }
  return std::min(1.0, 2.0 * tail);
}

double CohenKappa(const std::vector<int64_t>& confusion, int k) {
  double n = 0, agree = 0;
  std::vector<double> row(static_cast<size_t>(k), 0.0), col(static_cast<size_t>(k), 0.0);
  for (int i = 0; i < k; ++i) {
    for (int j = 0; j < k; ++j) {
      const double v = static_cast<double>(confusion[static_cast<size_t>(i * k + j)]);
      n += v;
      row[static_cast<size_t>(i)] += v;
      col[static_cast<size_t>(j)] += v;
      if (i == j) agree += v;
    }
  }
  if (n == 0) return 1.0;
  const double po = agree / n;
  double pe = 0;
  for (int i = 0; i < k; ++i) pe += row[static_cast<size_t>(i)] * col[static_cast<size_t>(i)] / (n * n);
  if (pe >= 1.0) return 1.0;
  return (po - pe) / (1.0 - pe);
}

}  // namespace stats
}  // namespace tv
