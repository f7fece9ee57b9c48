#include "compare/huffman.h"

#include <cmath>
#include <functional>
#include <queue>

namespace tv {

uint64_t HuffmanCodedBits(const std::vector<uint64_t>& counts) {
  // Merging the two lightest subtrees adds their combined weight once per merge: the sum of
  // all merge weights equals sum(count * code length).
  std::priority_queue<uint64_t, std::vector<uint64_t>, std::greater<uint64_t>> heap;
  for (uint64_t c : counts) {
    if (c > 0) heap.push(c);
  }
  if (heap.empty()) return 0;
  if (heap.size() == 1) return heap.top();
  uint64_t bits = 0;
  while (heap.size() > 1) {
    const uint64_t a = heap.top();
    heap.pop();
    const uint64_t b = heap.top();
    heap.pop();
    bits += a + b;
    heap.push(a + b);
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
