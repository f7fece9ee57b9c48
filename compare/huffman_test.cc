#include "compare/huffman.h"

#include <gtest/gtest.h>

#include <functional>
#include <queue>
#include <random>

namespace tv {
namespace {

TEST(HuffmanTest, KnownCodeLengths) {
  // Frequencies 1,1,2,4: optimal code lengths 3,3,2,1 -> 3+3+4+4 = 14 bits.
  EXPECT_EQ(HuffmanCodedBits({1, 1, 2, 4}), 14u);
  // Uniform over 4 symbols: 2 bits each.
  EXPECT_EQ(HuffmanCodedBits({5, 5, 5, 5}), 40u);
  EXPECT_EQ(HuffmanCodedBits({0, 7, 0}), 7u);  // one symbol: 1 bit each
  EXPECT_EQ(HuffmanCodedBits({}), 0u);
}

// The textbook heap construction, as an oracle for the two-queue one.
uint64_t HeapHuffmanBits(const std::vector<uint64_t>& counts) {
  std::priority_queue<uint64_t, std::vector<uint64_t>, std::greater<uint64_t>> heap;
  for (uint64_t c : counts)
    if (c > 0) heap.push(c);
  if (heap.size() <= 1) return heap.empty() ? 0 : heap.top();
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

TEST(HuffmanTest, MatchesHeapConstruction) {
  const unsigned seed = std::random_device()();
  SCOPED_TRACE("seed " + std::to_string(seed));
  std::mt19937 rng(seed);
  for (int round = 0; round < 200; ++round) {
    std::vector<uint64_t> counts(rng() % 300);
    const uint64_t range = round % 2 ? 3 : 100000;  // many ties, then mostly distinct
    for (uint64_t& c : counts) c = rng() % range;
    ASSERT_EQ(HuffmanCodedBits(counts), HeapHuffmanBits(counts)) << "round " << round;
  }
}

TEST(HuffmanTest, BetweenEntropyAndEntropyPlusOneBitPerSymbol) {
  const std::vector<uint64_t> counts = {100, 30, 30, 7, 3, 1, 1};
  const double h = EntropyBits(counts);
  const double n = 172;
  EXPECT_GE(static_cast<double>(HuffmanCodedBits(counts)), h);
  EXPECT_LT(static_cast<double>(HuffmanCodedBits(counts)), h + n);
}

TEST(HuffmanTest, ByteCounts) {
  const uint8_t data[] = {0, 0, 255, 3};
  const auto c = ByteValueCounts(data, 4);
  EXPECT_EQ(c[0], 2u);
  EXPECT_EQ(c[255], 1u);
  EXPECT_EQ(c[3], 1u);
}

}  // namespace
}  // namespace tv
