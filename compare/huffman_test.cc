#include "compare/huffman.h"

#include <gtest/gtest.h>

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
