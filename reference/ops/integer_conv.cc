// Integer convolutions: ConvInteger (int32 accumulators out) and QLinearConv (requantized to
// 8 bits). Zero points are subtracted before an exact int32 im2col + GEMM.
#include "reference/ops/conv_util.h"
#include "reference/ops/quant_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

class IntegerConvKernel : public OpKernel {
 public:
  explicit IntegerConvKernel(bool qlinear) : qlinear_(qlinear) {}

  Status Prepare(PrepareContext* ctx) override {
    // Input slots: ConvInteger (x, w, x_zp, w_zp); QLinearConv (x, xs, xzp, w, ws, wzp, ys, yzp,
    // B).
    x_ = 0;
    w_ = qlinear_ ? 3 : 1;
    TV_RETURN_IF_ERROR(qlinear_ ? ctx->CheckArity(8, 9) : ctx->CheckArity(2, 4));
    const Shape& x = ctx->input_shape(x_);
    const Shape& w = ctx->input_shape(w_);
    if (!IsQuantType(ctx->input_dtype(x_)) || !IsQuantType(ctx->input_dtype(w_))) {
      return ctx->Error("x and w must be 8-bit integers");
    }
    if (x.size() < 3 || w.size() != x.size())
      return ctx->Error("input and weight ranks do not fit");
    group_ = ctx->attrs().GetInt("group", 1);
    batch_ = x[0];
    in_channels_ = x[1];
    out_channels_ = w[0];
    if (group_ < 1 || in_channels_ % group_ != 0 || out_channels_ % group_ != 0 ||
        w[1] != in_channels_ / group_) {
      return ctx->Error("weight %s does not fit input %s", ShapeToString(w).c_str(),
                        ShapeToString(x).c_str());
    }
    TV_RETURN_IF_ERROR(ComputeWindowGeometry(*ctx, Shape(x.begin() + 2, x.end()),
                                             std::vector<int64_t>(w.begin() + 2, w.end()), false,
                                             &geo_));
    if (qlinear_) {
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 1, true, 1));
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 2, false, 1));
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 4, true, out_channels_));
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 5, false, out_channels_));
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 6, true, 1));
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 7, false, 1));
      if (ctx->has_input(8) && (ctx->input_dtype(8) != DataType::kInt32 ||
                                NumElements(ctx->input_shape(8)) != out_channels_)) {
        return ctx->Error("bias must be int32 with one value per output channel");
      }
    } else {
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 2, false, 1));
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 3, false, out_channels_));
    }
    out_type_ = DataType::kInt32;
    if (qlinear_) {
      out_type_ = ctx->input_dtype(7);
      if (!IsQuantType(out_type_)) return ctx->Error("y_zero_point type is not supported");
    }
    Shape out = {batch_, out_channels_};
    out.insert(out.end(), geo_.out.begin(), geo_.out.end());
    ctx->SetOutput(0, out_type_, out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const auto& in = ctx->inputs;
    auto zero_points = [&](int slot, int64_t n) {
      std::vector<int32_t> zp(static_cast<size_t>(n), 0);
      if (static_cast<int>(in.size()) > slot && in[slot].data) {
        std::vector<int32_t> v = WidenToInt32(in[slot].dtype, in[slot].data, in[slot].size());
        for (int64_t i = 0; i < n; ++i) zp[i] = v.size() == 1 ? v[0] : v[i];
      }
      return zp;
    };
    const int64_t in_size = geo_.in_size(), out_size = geo_.out_size();
    const int64_t cg = in_channels_ / group_, mg = out_channels_ / group_,
                  k = cg * geo_.kernel_size();
    const int32_t x_zp = zero_points(qlinear_ ? 2 : 2, 1)[0];
    const std::vector<int32_t> w_zp = zero_points(qlinear_ ? 5 : 3, out_channels_);
    std::vector<int32_t> x = WidenToInt32(in[x_].dtype, in[x_].data, in[x_].size());
    for (int32_t& v : x) v -= x_zp;  // padding then contributes exactly zero
    std::vector<int32_t> w = WidenToInt32(in[w_].dtype, in[w_].data, in[w_].size());
    for (int64_t m = 0; m < out_channels_; ++m) {
      for (int64_t i = 0; i < k; ++i) w[m * k + i] -= w_zp[m];
    }
    std::vector<float> multiplier(static_cast<size_t>(out_channels_), 1.0f);
    std::vector<int32_t> bias(static_cast<size_t>(out_channels_), 0);
    int32_t y_zp = 0;
    if (qlinear_) {
      const float xs = ReadScales(in[1].dtype, in[1].data, 1)[0];
      const std::vector<float> ws = ReadScales(in[4].dtype, in[4].data, in[4].size());
      const float ys = ReadScales(in[6].dtype, in[6].data, 1)[0];
      for (int64_t m = 0; m < out_channels_; ++m)
        multiplier[m] = xs * ws[ws.size() == 1 ? 0 : m] / ys;
      y_zp = zero_points(7, 1)[0];
      if (in.size() > 8 && in[8].data)
        bias = WidenToInt32(DataType::kInt32, in[8].data, out_channels_);
    }
    std::vector<int32_t> col(static_cast<size_t>(k * out_size));
    for (int64_t n = 0; n < batch_; ++n) {
      for (int64_t g = 0; g < group_; ++g) {
        Im2Col(x.data() + (n * in_channels_ + g * cg) * in_size, cg, geo_, 0, col.data());
        for (int64_t m = g * mg; m < (g + 1) * mg; ++m) {
          const int32_t* wm = w.data() + m * k;
          for (int64_t o = 0; o < out_size; ++o) {
            int64_t acc = bias[m];
            for (int64_t i = 0; i < k; ++i)
              acc += static_cast<int64_t>(wm[i]) * col[i * out_size + o];
            const int64_t at = (n * out_channels_ + m) * out_size + o;
            if (qlinear_) {
              StoreQuantized(out_type_,
                             std::nearbyint(static_cast<double>(acc) * multiplier[m]) + y_zp,
                             ctx->outputs[0].data, at);
            } else {
              ctx->outputs[0].as<int32_t>()[at] = static_cast<int32_t>(acc);
            }
          }
        }
      }
    }
    return Status::Ok();
  }

  int64_t Flops() const override {
    return 2 * batch_ * out_channels_ * geo_.out_size() * (in_channels_ / group_) *
           geo_.kernel_size();
  }

 private:
  bool qlinear_;
  int x_ = 0, w_ = 1;
  DataType out_type_ = DataType::kInt32;
  ConvGeometry geo_;
  int64_t group_ = 1, batch_ = 0, in_channels_ = 0, out_channels_ = 0;
};

template <bool kQLinear>
std::unique_ptr<OpKernel> MakeIntegerConv(const NodeInfo&) {
  return std::make_unique<IntegerConvKernel>(kQLinear);
}

}  // namespace

void RegisterIntegerConvOps(KernelRegistry* r) {
  r->Add("ConvInteger", &MakeIntegerConv<false>);
  r->Add("QLinearConv", &MakeIntegerConv<true>);
}

}  // namespace ref
}  // namespace tv
