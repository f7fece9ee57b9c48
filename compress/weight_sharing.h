// Deep-compression steps applied to weights before/while quantizing: global magnitude pruning
// (float weights) and k-means weight sharing (int8 codes, at most K distinct per tensor).
#ifndef TINYVERIFY_COMPRESS_WEIGHT_SHARING_H_
#define TINYVERIFY_COMPRESS_WEIGHT_SHARING_H_

#include <cstdint>
#include <vector>

namespace tv {
namespace compress {

// Zeroes the `sparsity` fraction (0..1) of smallest-magnitude values across all tensors
// together (one global threshold). Returns the number of values set to zero.
int64_t PruneGlobalMagnitude(const std::vector<std::vector<float>*>& tensors, double sparsity);

// 1-D k-means over `normalized` (weights divided by their channel scale, so in [-127, 127]);
// centroids are rounded to integers. Exact zeros stay zero (a pinned centroid, counted in K).
// Deterministic (linear initialisation). Returns the int8 code of every element.
std::vector<int8_t> ClusterToInt8(const std::vector<float>& normalized, int k);

}  // namespace compress
}  // namespace tv

#endif  // TINYVERIFY_COMPRESS_WEIGHT_SHARING_H_
