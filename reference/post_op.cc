#include "reference/post_op.h"

namespace tv {
namespace ref {

void ApplyEpilogue(const GemmEpilogue& epilogue, int64_t rows, int64_t cols, float* c,
                   int64_t ldc) {
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t ch = epilogue.first_channel + r;
    float* x = c + r * ldc;
    if (epilogue.bias) {
      const float b = epilogue.bias[ch];
      for (int64_t j = 0; j < cols; ++j) x[j] += b;
    }
    for (int i = 0; i < epilogue.num_ops; ++i) {
      const PostOp& op = epilogue.ops[i];
      switch (op.kind) {
        case PostOp::Kind::kAffine: {
          const float a = op.scale[ch], s = op.shift[ch];
          for (int64_t j = 0; j < cols; ++j) x[j] = x[j] * a + s;
          break;
        }
        case PostOp::Kind::kRelu:
          for (int64_t j = 0; j < cols; ++j) x[j] = x[j] > 0.0f ? x[j] : 0.0f;
          break;
        case PostOp::Kind::kClamp: {
          const float lo = op.lo, hi = op.hi;
          for (int64_t j = 0; j < cols; ++j) {
            const float v = x[j] < lo ? lo : x[j];
            x[j] = v > hi ? hi : v;
          }
          break;
        }
        case PostOp::Kind::kMul: {
          const float m = op.scale[ch];
          for (int64_t j = 0; j < cols; ++j) x[j] = x[j] * m;
          break;
        }
        case PostOp::Kind::kAdd: {
          const float m = op.scale[ch];
          for (int64_t j = 0; j < cols; ++j) x[j] = x[j] + m;
          break;
        }
      }
    }
  }
}

}  // namespace ref
}  // namespace tv
