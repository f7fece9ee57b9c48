// Direct 2-D depthwise convolution (one filter per channel, group == channels), used by Conv
// instead of im2col + GEMM, which would multiply a 1 x kernel_size matrix per channel.
#ifndef TINYVERIFY_REFERENCE_OPS_DEPTHWISE_CONV_H_
#define TINYVERIFY_REFERENCE_OPS_DEPTHWISE_CONV_H_

#include <cstdint>

#include "reference/ops/conv_util.h"

namespace tv {
namespace ref {

class ThreadPool;

// y[n, c] = sum over taps of x[n, c] * w[c] (+ bias[c]); x is [batch, channels, in...], w is
// [channels, 1, kernel...], y is [batch, channels, out...]; geo is 2-D. bias may be null.
// Each output element sums its taps in (ky, kx) order, then adds the bias, whatever its
// position or the thread count.
void DepthwiseConv2D(const ConvGeometry& geo, int64_t batch, int64_t channels, const float* x,
                     const float* w, const float* bias, float* y, ThreadPool* pool);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_OPS_DEPTHWISE_CONV_H_
