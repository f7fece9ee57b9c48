// Pieces that let Conv run as one packed GEMM per image and group: the im2col columns packed
// straight from the image (no column buffer), and an epilogue that adds the bias and applies
// fused per-channel post-ops (batch norm, Relu, Clip) tile by tile.
#ifndef TINYVERIFY_REFERENCE_OPS_CONV_GEMM_H_
#define TINYVERIFY_REFERENCE_OPS_CONV_GEMM_H_

#include <cstdint>
#include <vector>

#include "reference/kernel.h"
#include "reference/ops/conv_util.h"
#include "reference/sgemm.h"

namespace tv {
namespace ref {

// B[k][n] = image[c][oy * sh - ph + ky * dh][ox * sw - pw + kx * dw] (0 outside), with
// k = (c * kh + ky) * kw + kx and n = oy * ow + ox — exactly Im2Col's matrix, 2-D only.
class ImageColumnsRhs : public GemmRhs {
 public:
  ImageColumnsRhs(const float* image, const ConvGeometry& geo) : image_(image), geo_(geo) {}
  void Pack(int64_t k0, int64_t kc, int64_t n0, int64_t nc, int64_t nr, float* out) const override;

 private:
  const float* image_;
  const ConvGeometry& geo_;
};

// Row r of the GEMM is output channel `first_channel + r`: c += bias[ch], then each post-op in
// order — the same operations, in the same order, as the unfused Conv bias loop and consumers.
class ChannelEpilogue : public GemmEpilogue {
 public:
  ChannelEpilogue(const float* bias, const std::vector<PostOp>& post_ops, int64_t first_channel)
      : bias_(bias), post_ops_(post_ops), first_channel_(first_channel) {}
  void Apply(int64_t row, int64_t rows, int64_t col, int64_t cols, float* c,
             int64_t ldc) const override;

 private:
  const float* bias_;
  const std::vector<PostOp>& post_ops_;
  int64_t first_channel_;
};

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_OPS_CONV_GEMM_H_
