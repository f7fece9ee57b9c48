// Test support: a small 28x28 CNN (CONV_2D 3x3/2 x8 + RELU -> FULLY_CONNECTED 10 logits) as a
// float model and its int8 quantization, with the same fixed pseudo-random weights. Used by the
// verify pipeline tests and benchmarks as a realistic reference/tiny pair.
#ifndef TINYVERIFY_TESTS_SUPPORT_VERIFY_MODELS_H_
#define TINYVERIFY_TESTS_SUPPORT_VERIFY_MODELS_H_

#include <cstdint>
#include <vector>

namespace tv {
namespace testing {

// Input [1, 28, 28, 1]: float 0..1 for the float model; int8 scale 1/255, zero point -128 for
// the int8 one. Output [1, 10] logits (float / int8).
std::vector<uint8_t> BuildCnn28(bool int8);

// An autoencoder like MLPerf Tiny's anomaly detector, shrunk: input [1, 16] -> FULLY_CONNECTED
// 16 (weights near 0.9 x identity) -> output [1, 16], no softmax. Float, or int8 with input and
// output scale 1/16 (covers -8..8).
std::vector<uint8_t> BuildAutoencoder16(bool int8);

}  // namespace testing
}  // namespace tv

#endif  // TINYVERIFY_TESTS_SUPPORT_VERIFY_MODELS_H_
