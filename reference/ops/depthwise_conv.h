// Direct 2-D depthwise convolution (one filter per channel, group == channels), used by Conv
// instead of im2col + GEMM, which would multiply a 1 x kernel_size matrix per channel.
#ifndef TINYVERIFY_REFERENCE_OPS_DEPTHWISE_CONV_H_
#define TINYVERIFY_REFERENCE_OPS_DEPTHWISE_CONV_H_

#include <cstdint>

#include "reference/ops/conv_util.h"
#include "reference/post_op.h"

namespace tv {
namespace ref {

class ThreadPool;

// y[n, c] = sum over taps of x[n, c] * w[c] (+ bias[c]); x is [batch, channels, in...], w is
// [channels, 1, kernel...], y is [batch, channels, out...]; geo is 2-D. bias may be null.
// Each output element sums its taps in (ky, kx) order, then adds the bias, whatever its
// position or the thread count. `post_ops` (may be null; its bias must be null and its
// first_channel 0) are fused consumers applied to each plane while it is still in cache, with
// ApplyEpilogue's arithmetic.
void DepthwiseConv2D(const ConvGeometry& geo, int64_t batch, int64_t channels, const float* x,
                     const float* w, const float* bias, float* y, ThreadPool* pool,
                     const GemmEpilogue* post_ops = nullptr);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_OPS_DEPTHWISE_CONV_H_
