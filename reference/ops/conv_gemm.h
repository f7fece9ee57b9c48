// Lets Conv run as one packed GEMM per image and group: the im2col columns are packed straight
// from the image, with no column buffer.
#ifndef TINYVERIFY_REFERENCE_OPS_CONV_GEMM_H_
#define TINYVERIFY_REFERENCE_OPS_CONV_GEMM_H_

#include <cstdint>

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

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_OPS_CONV_GEMM_H_
