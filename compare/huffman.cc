#include "compare/huffman.h"

#include <algorithm>
#include <cmath>

namespace tv {

uint64_t HuffmanCodedBits(const std::vector<uint64_t>& counts) {
  // Merging the two lightest subtrees adds their combined weight once per merge: the sum of
  // all merge weights equals sum(count * code length). With the leaves sorted, merged weights
  // come out in non-decreasing order, so two FIFO queues replace the heap (O(n) after the sort).
  std::vector<uint64_t> leaves;
  leaves.reserve(counts.size());
  for (uint64_t c : counts) {
    if (c > 0) leaves.push_back(c);
  }
  if (leaves.empty()) return 0;
  if (leaves.size() == 1) return leaves[0];
  std::sort(leaves.begin(), leaves.end());
  std::vector<uint64_t> merged;
  merged.reserve(leaves.size());
  size_t li = 0, mi = 0;
  auto take_lightest = [&]() {
    if (mi >= merged.size() || (li < leaves.size() && leaves[li] <= merged[mi]))
      return leaves[li++];
    return merged[mi++];
  };
  uint64_t bits = 0;
  for (size_t k = 1; k < leaves.size(); ++k) {  // n - 1 merges
    const uint64_t a = take_lightest();
    const uint64_t b = take_lightest();
    bits += a + b;
    merged.push_back(a + b);
  }
  return bits;
}

double EntropyBits(const std::vector<uint64_t>& counts) {
  double total = 0;
  for (uint64_t c : counts) total += static_cast<double>(c);
  if (total <= 0) return 0;
  double bits = 0;
  for (uint64_t c : counts) {
    if (c > 0) bits -= static_cast<double>(c) * std::log2(static_cast<double>(c) / total);
  }
  return bits;
}

std::vector<uint64_t> ByteValueCounts(const uint8_t* data, size_t size) {
  std::vector<uint64_t> counts(256, 0);
  for (size_t i = 0; i < size; ++i) ++counts[data[i]];
  return counts;
}

}  // namespace tv
