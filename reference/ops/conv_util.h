// Geometry shared by Conv, ConvTranspose, pooling and their quantized variants: attribute
// parsing (kernel, strides, dilations, pads, auto_pad) and im2col.
#ifndef TINYVERIFY_REFERENCE_OPS_CONV_UTIL_H_
#define TINYVERIFY_REFERENCE_OPS_CONV_UTIL_H_

#include <cstdint>
#include <vector>

#include "reference/kernel.h"

namespace tv {
namespace ref {

struct ConvGeometry {
  std::vector<int64_t> in;      // spatial input dims
  std::vector<int64_t> kernel;  // spatial kernel dims
  std::vector<int64_t> strides;
  std::vector<int64_t> dilations;
  std::vector<int64_t> pads;  // begin pads then end pads (ONNX order)
  std::vector<int64_t> out;   // spatial output dims

  int64_t in_size() const { return DimProduct(in, 0, in.size()); }
  int64_t out_size() const { return DimProduct(out, 0, out.size()); }
  int64_t kernel_size() const { return DimProduct(kernel, 0, kernel.size()); }
};

// Fills strides/dilations/pads from attributes (defaults 1/1/0) and computes the output size
// for a forward window operation (Conv, pooling). `ceil_mode` rounds the output size up (pooling).
Status ComputeWindowGeometry(const PrepareContext& ctx, const Shape& input_spatial,
                             const std::vector<int64_t>& kernel, bool ceil_mode, ConvGeometry* geo);

// Unrolls one image of `channels` x spatial into col[channels * kernel_size, out_size];
// positions in the padding read `pad_value`. Spatial ranks 1..3 (any rank, slower for >2).
template <typename T>
void Im2Col(const T* image, int64_t channels, const ConvGeometry& geo, T pad_value, T* col);

// Accumulates col[channels * kernel_size, in_size] into image[channels, out...] — the adjoint of
// Im2Col used by ConvTranspose, where `geo.in` are the transposed conv's input dims (the
// columns) and `geo.out` the image it produces.
void Col2ImAdd(const float* col, int64_t channels, const ConvGeometry& geo, float* image);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_OPS_CONV_UTIL_H_
