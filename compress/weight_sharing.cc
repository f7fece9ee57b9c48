#include "compress/weight_sharing.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace tv {
namespace compress {

int64_t PruneGlobalMagnitude(const std::vector<std::vector<float>*>& tensors, double sparsity) {
  std::vector<float> mags;
  for (const auto* t : tensors) {
    for (float v : *t) mags.push_back(std::fabs(v));
  }
  const int64_t target =
      static_cast<int64_t>(std::floor(sparsity * static_cast<double>(mags.size())));
  if (target <= 0) return 0;
  std::nth_element(mags.begin(), mags.begin() + (target - 1), mags.end());
  const float threshold = mags[static_cast<size_t>(target - 1)];
  int64_t below = 0;
  for (float m : mags) below += m < threshold ? 1 : 0;
  int64_t ties_to_zero = target - below;  // values equal to the threshold, first come first
  int64_t zeroed = 0;
  for (auto* t : tensors) {
    for (float& v : *t) {
      const float m = std::fabs(v);
      if (m < threshold || (m == threshold && ties_to_zero-- > 0)) {
        v = 0.0f;
        ++zeroed;
      }
    }
  }
  return zeroed;
}

std::vector<int8_t> ClusterToInt8(const std::vector<float>& normalized, int k) {
  std::vector<int8_t> codes(normalized.size(), 0);
  std::vector<float> nonzero;
  for (float v : normalized) {
    if (v != 0.0f) nonzero.push_back(v);
  }
  const bool has_zero = nonzero.size() < normalized.size();
  const int free = std::max(1, k - (has_zero ? 1 : 0));
  if (nonzero.empty()) return codes;
  const auto [mn, mx] = std::minmax_element(nonzero.begin(), nonzero.end());
  std::vector<double> centroids(static_cast<size_t>(free));
  for (int c = 0; c < free; ++c) {
    centroids[static_cast<size_t>(c)] =
        free == 1 ? (*mn + *mx) / 2.0 : *mn + (*mx - *mn) * c / static_cast<double>(free - 1);
  }
  std::sort(nonzero.begin(), nonzero.end());
  std::vector<size_t> assignment(nonzero.size());
  for (int iter = 0; iter < 30; ++iter) {
    // Sorted data and sorted centroids: assignment is monotone, so one sweep suffices.
    size_t c = 0;
    for (size_t i = 0; i < nonzero.size(); ++i) {
      while (c + 1 < centroids.size() &&
             std::fabs(nonzero[i] - centroids[c + 1]) <= std::fabs(nonzero[i] - centroids[c])) {
        ++c;
      }
      assignment[i] = c;
    }
    std::vector<double> sum(centroids.size(), 0.0);
    std::vector<int64_t> count(centroids.size(), 0);
    for (size_t i = 0; i < nonzero.size(); ++i) {
      sum[assignment[i]] += nonzero[i];
      ++count[assignment[i]];
    }
    bool moved = false;
    for (size_t j = 0; j < centroids.size(); ++j) {
      if (count[j] == 0) continue;
      const double m = sum[j] / static_cast<double>(count[j]);
      moved |= std::fabs(m - centroids[j]) > 1e-4;
      centroids[j] = m;
    }
    std::sort(centroids.begin(), centroids.end());
    if (!moved) break;
  }
  // Integer codebook (rounding may merge centroids; zero is added when pinned).
  std::set<int> book;
  for (double c : centroids) {
    int q = static_cast<int>(std::clamp(std::round(c), -127.0, 127.0));
    if (q == 0 && has_zero) continue;
    if (q == 0) q = c < 0 ? -1 : 1;  // a non-zero cluster must not collapse onto zero
    book.insert(q);
  }
  if (has_zero) book.insert(0);
  const std::vector<int> values(book.begin(), book.end());
  for (size_t i = 0; i < normalized.size(); ++i) {
    const float v = normalized[i];
    if (v == 0.0f) continue;
    int best = values[0];
    for (int q : values) {
      if (q == 0) continue;
      if (best == 0 || std::fabs(v - q) < std::fabs(v - best)) best = q;
    }
    codes[i] = static_cast<int8_t>(best);
  }
  return codes;
}

}  // namespace compress
}  // namespace tv
