// ConvTranspose (float): GEMM into columns, then col2im scatter-add. Supports groups,
// dilations, output_padding, explicit pads, auto_pad and output_shape.
#include <cstring>

#include "reference/ops/conv_util.h"
#include "reference/ops/registry.h"
#include "reference/sgemm.h"

namespace tv {
namespace ref {
namespace {

class ConvTransposeKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(2, 3));
    const Shape& x = ctx->input_shape(0);
    const Shape& w = ctx->input_shape(1);
    if (ctx->input_dtype(0) != DataType::kFloat32 || ctx->input_dtype(1) != DataType::kFloat32) {
      return ctx->Error("only float32 is supported");
    }
    if (x.size() < 3 || w.size() != x.size())
      return ctx->Error("input and weight ranks do not fit");
    const size_t rank = x.size() - 2;
    const Attributes& at = ctx->attrs();
    group_ = at.GetInt("group", 1);
    batch_ = x[0];
    in_channels_ = x[1];
    if (group_ < 1 || w[0] != in_channels_ || in_channels_ % group_ != 0) {
      return ctx->Error("weight %s does not fit input %s with group %lld", ShapeToString(w).c_str(),
                        ShapeToString(x).c_str(), static_cast<long long>(group_));
    }
    out_channels_ = w[1] * group_;
    // geo_.in = this op's input (the GEMM columns), geo_.out = the image it produces.
    geo_.in.assign(x.begin() + 2, x.end());
    geo_.kernel = at.GetInts("kernel_shape", std::vector<int64_t>(w.begin() + 2, w.end()));
    geo_.strides = at.GetInts("strides", std::vector<int64_t>(rank, 1));
    geo_.dilations = at.GetInts("dilations", std::vector<int64_t>(rank, 1));
    geo_.pads = at.GetInts("pads", std::vector<int64_t>(2 * rank, 0));
    std::vector<int64_t> out_pad = at.GetInts("output_padding", std::vector<int64_t>(rank, 0));
    const std::vector<int64_t> output_shape = at.GetInts("output_shape");
    const std::string auto_pad = at.GetString("auto_pad", "NOTSET");
    if (geo_.kernel.size() != rank || geo_.strides.size() != rank ||
        geo_.dilations.size() != rank || geo_.pads.size() != 2 * rank || out_pad.size() != rank ||
        (!output_shape.empty() && output_shape.size() != rank)) {
      return ctx->Error("attributes do not match %zu spatial dimensions", rank);
    }
    geo_.out.assign(rank, 0);
    for (size_t i = 0; i < rank; ++i) {
      if (geo_.kernel[i] != w[i + 2] || geo_.strides[i] < 1 || geo_.dilations[i] < 1) {
        return ctx->Error("kernel_shape/strides/dilations are invalid");
      }
      const int64_t extent = (geo_.kernel[i] - 1) * geo_.dilations[i] + 1;
      const int64_t full = geo_.strides[i] * (geo_.in[i] - 1) + out_pad[i] + extent;
      int64_t target = -1;
      if (!output_shape.empty())
        target = output_shape[i];
      else if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER")
        target = geo_.in[i] * geo_.strides[i];
      if (target >= 0) {
        const int64_t total = std::max<int64_t>(full - target, 0);
        // SAME_UPPER puts the extra padding at the end, as the ONNX reference does.
        const bool upper = auto_pad != "SAME_LOWER";
        geo_.pads[i] = upper ? total / 2 : total - total / 2;
        geo_.pads[i + rank] = total - geo_.pads[i];
        geo_.out[i] = target;
      } else {
        if (auto_pad == "VALID") geo_.pads[i] = geo_.pads[i + rank] = 0;
        geo_.out[i] = full - geo_.pads[i] - geo_.pads[i + rank];
      }
      if (geo_.out[i] < 1)
        return ctx->Error("output size would be %lld", static_cast<long long>(geo_.out[i]));
    }
    has_bias_ = ctx->has_input(2);
    if (has_bias_ && NumElements(ctx->input_shape(2)) != out_channels_)
      return ctx->Error("bias size mismatch");
    Shape out = {batch_, out_channels_};
    out.insert(out.end(), geo_.out.begin(), geo_.out.end());
    ctx->SetOutput(0, DataType::kFloat32, out);
    ctx->RequestScratch(out_channels_ / group_ * geo_.kernel_size() * geo_.in_size() * 4);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const float* x = ctx->inputs[0].as<float>();
    const float* w = ctx->inputs[1].as<float>();
    const float* bias = has_bias_ ? ctx->inputs[2].as<float>() : nullptr;
    float* y = ctx->outputs[0].as<float>();
    float* col = static_cast<float*>(ctx->scratch);
    const int64_t cg = in_channels_ / group_, mg = out_channels_ / group_;
    const int64_t in_size = geo_.in_size(), out_size = geo_.out_size(), k = geo_.kernel_size();
    std::memset(y, 0, static_cast<size_t>(batch_ * out_channels_ * out_size) * sizeof(float));
    for (int64_t n = 0; n < batch_; ++n) {
      for (int64_t g = 0; g < group_; ++g) {
        // col[mg*k, in_size] = W_g^T [mg*k, cg] * X_g [cg, in_size]
        Sgemm(true, false, mg * k, in_size, cg, w + g * cg * mg * k, mg * k,
              x + (n * in_channels_ + g * cg) * in_size, in_size, col, in_size, ctx->pool);
        Col2ImAdd(col, mg, geo_, y + (n * out_channels_ + g * mg) * out_size);
      }
      if (bias) {
        for (int64_t m = 0; m < out_channels_; ++m) {
          float* plane = y + (n * out_channels_ + m) * out_size;
          for (int64_t i = 0; i < out_size; ++i) plane[i] += bias[m];
        }
      }
    }
    return Status::Ok();
  }

  int64_t Flops() const override {
    return 2 * batch_ * in_channels_ * geo_.in_size() * (out_channels_ / group_) *
           geo_.kernel_size();
  }

 private:
  ConvGeometry geo_;
  int64_t group_ = 1, batch_ = 0, in_channels_ = 0, out_channels_ = 0;
  bool has_bias_ = false;
};

}  // namespace

void RegisterConvTransposeOps(KernelRegistry* r) {
  r->Add("ConvTranspose", &MakeKernel<ConvTransposeKernel>);
}

}  // namespace ref
}  // namespace tv
