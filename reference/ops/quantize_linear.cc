// QuantizeLinear, DequantizeLinear (per-tensor or per-axis) and DynamicQuantizeLinear.
#include <algorithm>

#include "reference/ops/quant_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

// Shared parameter handling: scale [1] or [C] along `axis`, zero point of the same shape.
class AffineKernel : public OpKernel {
 public:
  explicit AffineKernel(bool quantize) : quantize_(quantize) {}

  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(2, 3));
    const Shape& x = ctx->input_shape(0);
    in_type_ = ctx->input_dtype(0);
    scale_type_ = ctx->input_dtype(1);
    const int64_t scales = NumElements(ctx->input_shape(1));
    if (ctx->attrs().GetInt("block_size", 0) != 0)
      return ctx->Error("blocked quantization is not supported");
    if (quantize_) {
      if (in_type_ != DataType::kFloat32) return ctx->Error("input must be float32");
      out_type_ = ctx->has_input(2) ? ctx->input_dtype(2) : DataType::kUInt8;
      const int64_t to = ctx->attrs().GetInt("output_dtype", 0);
      if (!ctx->has_input(2) && to == 3) out_type_ = DataType::kInt8;
      if (!IsQuantType(out_type_))
        return ctx->Error("output type %s is not supported", DataTypeName(out_type_));
    } else {
      if (!IsQuantType(in_type_))
        return ctx->Error("input type %s is not supported", DataTypeName(in_type_));
      out_type_ = DataType::kFloat32;
    }
    if (ctx->has_input(2) && NumElements(ctx->input_shape(2)) != scales) {
      return ctx->Error("zero point and scale sizes differ");
    }
    TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 1, true, scales));
    TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 2, false, scales));
    inner_ = NumElements(x);
    channels_ = 1;
    outer_ = 1;
    if (scales != 1 || ctx->input_shape(1).size() == 1) {
      if (scales != 1) {
        int64_t axis;
        Status s =
            NormalizeAxis(ctx->attrs().GetInt("axis", 1), static_cast<int64_t>(x.size()), &axis);
        if (!s.ok()) return ctx->Error("%s", s.message());
        if (x[axis] != scales)
          return ctx->Error("%lld scales for axis %lld of size %lld",
                            static_cast<long long>(scales), static_cast<long long>(axis),
                            static_cast<long long>(x[axis]));
        outer_ = DimProduct(x, 0, axis);
        channels_ = scales;
        inner_ = DimProduct(x, axis + 1, x.size());
      }
    }
    ctx->SetOutput(0, out_type_, x);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const std::vector<float> scale = ReadScales(scale_type_, ctx->inputs[1].data, channels_);
    std::vector<int32_t> zp(static_cast<size_t>(channels_), 0);
    if (ctx->inputs.size() > 2 && ctx->inputs[2].data)
      zp = WidenToInt32(ctx->inputs[2].dtype, ctx->inputs[2].data, channels_);
    if (quantize_) {
      const float* x = ctx->inputs[0].as<float>();
      for (int64_t o = 0; o < outer_; ++o) {
        for (int64_t c = 0; c < channels_; ++c) {
          for (int64_t i = 0; i < inner_; ++i) {
            const int64_t at = (o * channels_ + c) * inner_ + i;
            // Round x / scale first (half to even), then add the zero point, as the spec does.
            const double q = std::nearbyint(static_cast<double>(x[at] / scale[c]));
            StoreQuantized(out_type_, q + zp[c], ctx->outputs[0].data, at);
          }
        }
      }
    } else {
      const std::vector<int32_t> x =
          WidenToInt32(in_type_, ctx->inputs[0].data, outer_ * channels_ * inner_);
      float* y = ctx->outputs[0].as<float>();
      for (int64_t o = 0; o < outer_; ++o) {
        for (int64_t c = 0; c < channels_; ++c) {
          for (int64_t i = 0; i < inner_; ++i) {
            const int64_t at = (o * channels_ + c) * inner_ + i;
            y[at] = static_cast<float>(static_cast<int64_t>(x[at]) - zp[c]) * scale[c];
          }
        }
      }
    }
    return Status::Ok();
  }

 private:
  bool quantize_;
  DataType in_type_ = DataType::kFloat32, out_type_ = DataType::kUInt8,
           scale_type_ = DataType::kFloat32;
  int64_t outer_ = 1, channels_ = 1, inner_ = 0;
};

class DynamicQuantizeKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    if (ctx->input_dtype(0) != DataType::kFloat32) return ctx->Error("input must be float32");
    count_ = NumElements(ctx->input_shape(0));
    ctx->SetOutput(0, DataType::kUInt8, ctx->input_shape(0));
    ctx->SetOutput(1, DataType::kFloat32, {});
    ctx->SetOutput(2, DataType::kUInt8, {});
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const float* x = ctx->inputs[0].as<float>();
    float lo = 0.0f, hi = 0.0f;  // the range always includes zero
    for (int64_t i = 0; i < count_; ++i) {
      lo = std::min(lo, x[i]);
      hi = std::max(hi, x[i]);
    }
    const float scale = (hi - lo) / 255.0f;
    double zp = 0.0;
    if (scale > 0.0f)
      zp = std::min(255.0, std::max(0.0, static_cast<double>(std::nearbyint(-lo / scale))));
    for (int64_t i = 0; i < count_; ++i) {
      const double q = scale > 0.0f ? std::nearbyint(static_cast<double>(x[i] / scale)) + zp : zp;
      StoreQuantized(DataType::kUInt8, q, ctx->outputs[0].data, i);
    }
    if (ctx->outputs.size() > 1 && ctx->outputs[1].data) *ctx->outputs[1].as<float>() = scale;
    if (ctx->outputs.size() > 2 && ctx->outputs[2].data)
      *ctx->outputs[2].as<uint8_t>() = static_cast<uint8_t>(zp);
    return Status::Ok();
  }

 private:
  int64_t count_ = 0;
};

template <bool kQuantize>
std::unique_ptr<OpKernel> MakeAffine(const NodeInfo&) {
  return std::make_unique<AffineKernel>(kQuantize);
}

}  // namespace

void RegisterQuantizeLinearOps(KernelRegistry* r) {
  r->Add("QuantizeLinear", &MakeAffine<true>);
  r->Add("DequantizeLinear", &MakeAffine<false>);
  r->Add("DynamicQuantizeLinear", &MakeKernel<DynamicQuantizeKernel>);
}

}  // namespace ref
}  // namespace tv
