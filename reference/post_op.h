// Per-channel element-wise operations that a producer (Conv's GEMM) applies to its output while
// it is still in registers, instead of the consumer node making another pass over memory. The
// arithmetic is spelled out here once so fused and unfused paths compute bit-identical values.
#ifndef TINYVERIFY_REFERENCE_POST_OP_H_
#define TINYVERIFY_REFERENCE_POST_OP_H_

#include <cstdint>

namespace tv {
namespace ref {

struct PostOp {
  enum class Kind {
    kAffine,  // x * scale[c] + shift[c] (two roundings: the reference builds without fp-contract)
    kClamp,   // v = x < lo ? lo : x; v > hi ? hi : v   (Clip)
    kRelu,    // x > 0 ? x : 0   (NaN -> 0, like the float Relu kernel)
    kMul,     // x * scale[c]
    kAdd,     // x + scale[c]
  };
  Kind kind = Kind::kClamp;
  const float* scale = nullptr;  // kAffine, kMul, kAdd; owned by the consumer kernel
  const float* shift = nullptr;  // kAffine
  float lo = 0.0f, hi = 0.0f;    // kClamp
};

// What happens to C[r][*] after its last k block: channel = first_channel + r; x += bias[ch],
// then each op in order.
struct GemmEpilogue {
  const float* bias = nullptr;
  const PostOp* ops = nullptr;
  int num_ops = 0;
  int64_t first_channel = 0;

  // The scalar definition every SIMD path reproduces.
  float Finish(float x, int64_t row) const {
    const int64_t ch = first_channel + row;
    if (bias) x += bias[ch];
    for (int i = 0; i < num_ops; ++i) {
      const PostOp& op = ops[i];
      switch (op.kind) {
        case PostOp::Kind::kAffine:
          x = x * op.scale[ch] + op.shift[ch];
          break;
        case PostOp::Kind::kRelu:
          x = x > 0.0f ? x : 0.0f;
          break;
        case PostOp::Kind::kClamp: {
          const float v = x < op.lo ? op.lo : x;
          x = v > op.hi ? op.hi : v;
          break;
        }
        case PostOp::Kind::kMul:
          x = x * op.scale[ch];
          break;
        case PostOp::Kind::kAdd:
          x = x + op.scale[ch];
          break;
      }
    }
    return x;
  }
};

// The epilogue over an already computed C (rows x cols, row stride ldc), one operation at a
// time per row so the loops vectorise; same values as Finish() element by element.
void ApplyEpilogue(const GemmEpilogue& epilogue, int64_t rows, int64_t cols, float* c, int64_t ldc);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_POST_OP_H_
