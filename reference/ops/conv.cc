// Conv (float): any spatial rank, groups, dilations, every auto_pad mode. Lowered to im2col +
// the position-independent Sgemm; depthwise 2-D convolutions use a direct loop instead.
#include <cstring>

#include "reference/ops/conv_gemm.h"
#include "reference/ops/conv_util.h"
#include "reference/ops/depthwise_conv.h"
#include "reference/ops/registry.h"
#include "reference/sgemm.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

class ConvKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(2, 3));
    const Shape& x = ctx->input_shape(0);
    const Shape& w = ctx->input_shape(1);
    if (ctx->input_dtype(0) != DataType::kFloat32 || ctx->input_dtype(1) != DataType::kFloat32) {
      return ctx->Error("only float32 is supported, got %s", DataTypeName(ctx->input_dtype(0)));
    }
    if (x.size() < 3 || w.size() != x.size()) {
      return ctx->Error("input %s and weight %s ranks do not fit", ShapeToString(x).c_str(),
                        ShapeToString(w).c_str());
    }
    group_ = ctx->attrs().GetInt("group", 1);
    batch_ = x[0];
    in_channels_ = x[1];
    out_channels_ = w[0];
    if (group_ < 1 || in_channels_ % group_ != 0 || out_channels_ % group_ != 0 ||
        w[1] != in_channels_ / group_) {
      return ctx->Error("weight %s does not fit input %s with group %lld", ShapeToString(w).c_str(),
                        ShapeToString(x).c_str(), static_cast<long long>(group_));
    }
    std::vector<int64_t> kernel(w.begin() + 2, w.end());
    const std::vector<int64_t> declared = ctx->attrs().GetInts("kernel_shape", kernel);
    if (declared != kernel) return ctx->Error("kernel_shape attribute disagrees with the weight");
    TV_RETURN_IF_ERROR(
        ComputeWindowGeometry(*ctx, Shape(x.begin() + 2, x.end()), kernel, false, &geo_));
    has_bias_ = ctx->has_input(2);
    if (has_bias_ && (ctx->input_shape(2).size() != 1 || ctx->input_shape(2)[0] != out_channels_)) {
      return ctx->Error("bias shape %s does not match %lld output channels",
                        ShapeToString(ctx->input_shape(2)).c_str(),
                        static_cast<long long>(out_channels_));
    }
    Shape out = {batch_, out_channels_};
    out.insert(out.end(), geo_.out.begin(), geo_.out.end());
    ctx->SetOutput(0, DataType::kFloat32, out);

    const int64_t cg = in_channels_ / group_;
    depthwise_ = cg == 1 && out_channels_ == group_ && geo_.in.size() == 2;
    pointwise_ = true;
    for (size_t i = 0; i < geo_.in.size(); ++i) {
      pointwise_ &= geo_.kernel[i] == 1 && geo_.strides[i] == 1 && geo_.pads[i] == 0 &&
                    geo_.pads[i + geo_.in.size()] == 0;
    }
    // Constant weights are packed for the GEMM once per plan instead of once per inference.
    packed_.clear();
    post_ops_.clear();
    if (!depthwise_) {
      if (const float* w = static_cast<const float*>(ctx->input_value_if_known(1))) {
        const int64_t mg = out_channels_ / group_, k = cg * geo_.kernel_size();
        packed_.resize(group_);
        for (int64_t g = 0; g < group_; ++g)
          PackLeftMatrix(false, mg, k, w + g * mg * k, k, &packed_[g]);
      }
    }
    // With packed weights, pointwise and 2-D convolutions feed the GEMM straight from the image
    // (2-D: im2col columns packed on the fly), with no column buffer.
    direct_gemm_ = !packed_.empty() && (pointwise_ || geo_.in.size() == 2);
    if (!depthwise_ && !pointwise_ && !direct_gemm_) {
      ctx->RequestScratch(cg * geo_.kernel_size() * geo_.out_size() * 4);
    }
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const float* x = ctx->inputs[0].as<float>();
    const float* w = ctx->inputs[1].as<float>();
    const float* bias = has_bias_ ? ctx->inputs[2].as<float>() : nullptr;
    float* y = ctx->outputs[0].as<float>();
    const int64_t in_size = geo_.in_size(), out_size = geo_.out_size();
    if (depthwise_) {  // the depthwise loop adds the bias itself
      const GemmEpilogue post_ops = Epilogue(nullptr, 0);
      DepthwiseConv2D(geo_, batch_, out_channels_, x, w, bias, y, ctx->pool, &post_ops);
      return Status::Ok();
    }
    const int64_t cg = in_channels_ / group_, mg = out_channels_ / group_;
    const int64_t k = cg * geo_.kernel_size();
    float* col = static_cast<float*>(ctx->scratch);
    for (int64_t n = 0; n < batch_; ++n) {
      for (int64_t g = 0; g < group_; ++g) {
        const float* image = x + (n * in_channels_ + g * cg) * in_size;
        float* out = y + (n * out_channels_ + g * mg) * out_size;
        const GemmEpilogue epilogue = Epilogue(bias, g * mg);
        if (direct_gemm_) {
          const MatrixRhs matrix(false, image, out_size);
          const ImageColumnsRhs columns(image, geo_);
          const GemmRhs& rhs = pointwise_ ? static_cast<const GemmRhs&>(matrix) : columns;
          SgemmPackedRhs(packed_[g], out_size, rhs, out, out_size, &epilogue, ctx->pool);
          continue;
        }
        const float* cols = image;
        if (!pointwise_) {
          Im2Col(image, cg, geo_, 0.0f, col);
          cols = col;
        }
        if (packed_.empty()) {
          Sgemm(false, false, mg, out_size, k, w + g * mg * k, k, cols, out_size, out, out_size,
                ctx->pool);
        } else {
          SgemmPacked(packed_[g], false, out_size, cols, out_size, out, out_size, ctx->pool);
        }
        ApplyEpilogue(epilogue, mg, out_size, out, out_size);
      }
    }
    return Status::Ok();
  }

  // Batch norm and clamps after a convolution run in its epilogue (GEMM) or on each finished
  // plane (depthwise).
  bool FusePostOp(const PostOp& op) override {
    post_ops_.push_back(op);
    return true;
  }

  int64_t Flops() const override {
    return 2 * batch_ * out_channels_ * geo_.out_size() * (in_channels_ / group_) *
           geo_.kernel_size();
  }

 private:
  // Bias (may be null) and the fused post-ops for output channels from first_channel on.
  GemmEpilogue Epilogue(const float* bias, int64_t first_channel) const {
    GemmEpilogue e;
    e.bias = bias;
    e.ops = post_ops_.data();
    e.num_ops = static_cast<int>(post_ops_.size());
    e.first_channel = first_channel;
    return e;
  }

  ConvGeometry geo_;
  int64_t group_ = 1, batch_ = 0, in_channels_ = 0, out_channels_ = 0;
  bool has_bias_ = false, depthwise_ = false, pointwise_ = false, direct_gemm_ = false;
  std::vector<PackedMatrix> packed_;  // per group, when the weights are constant
  std::vector<PostOp> post_ops_;      // fused consumers, applied after the bias
};

}  // namespace

void RegisterConvOps(KernelRegistry* r) { r->Add("Conv", &MakeKernel<ConvKernel>); }

}  // namespace ref
}  // namespace tv
