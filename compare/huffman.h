// Entropy-coding size estimates for quantized weights ("deep compression" reporting): the
// exact length of an optimal Huffman code over the symbol frequencies, and the Shannon bound.
#ifndef TINYVERIFY_COMPARE_HUFFMAN_H_
#define TINYVERIFY_COMPARE_HUFFMAN_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tv {

// Total bits of the data coded with an optimal Huffman code built for `counts` (one entry per
// symbol; zero counts are ignored). A single used symbol costs 1 bit per occurrence.
uint64_t HuffmanCodedBits(const std::vector<uint64_t>& counts);

// Shannon entropy of the distribution times the number of symbols (lower bound, in bits).
double EntropyBits(const std::vector<uint64_t>& counts);

// Frequencies of the 256 byte values of int8 / uint8 data.
std::vector<uint64_t> ByteValueCounts(const uint8_t* data, size_t size);

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_HUFFMAN_H_
