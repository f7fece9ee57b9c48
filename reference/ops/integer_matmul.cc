// Integer matrix products: MatMulInteger (int32 out) and QLinearMatMul (requantized), with
// numpy batch broadcasting. Zero points: scalar, per-row of A or per-column of B.
#include "reference/ops/op_util.h"
#include "reference/ops/quant_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

class IntegerMatMulKernel : public OpKernel {
 public:
  explicit IntegerMatMulKernel(bool qlinear) : qlinear_(qlinear) {}

  Status Prepare(PrepareContext* ctx) override {
    // Slots: MatMulInteger (a, b, a_zp, b_zp); QLinearMatMul (a, as, azp, b, bs, bzp, ys, yzp).
    b_ = qlinear_ ? 3 : 1;
    TV_RETURN_IF_ERROR(qlinear_ ? ctx->CheckArity(8, 8) : ctx->CheckArity(2, 4));
    if (!IsQuantType(ctx->input_dtype(0)) || !IsQuantType(ctx->input_dtype(b_))) {
      return ctx->Error("a and b must be 8-bit integers");
    }
    Shape a = ctx->input_shape(0), b = ctx->input_shape(b_);
    if (a.size() < 2 || b.size() < 2) return ctx->Error("operands must be at least 2-D");
    m_ = a[a.size() - 2];
    k_ = a.back();
    n_ = b.back();
    if (b[b.size() - 2] != k_) return ctx->Error("inner dimensions differ");
    a_batch_ = Shape(a.begin(), a.end() - 2);
    b_batch_ = Shape(b.begin(), b.end() - 2);
    Status s = BroadcastShapes(a_batch_, b_batch_, &batch_);
    if (!s.ok()) return ctx->Error("%s", s.message());
    if (qlinear_) {
      for (int slot : {1, 4, 6}) TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, slot, true, 1));
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 2, false, m_));
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 5, false, n_));
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 7, false, 1));
    } else {
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 2, false, m_));
      TV_RETURN_IF_ERROR(CheckQuantParam(*ctx, 3, false, n_));
    }
    out_type_ = qlinear_ ? ctx->input_dtype(7) : DataType::kInt32;
    if (!IsQuantType(out_type_))
      return ctx->Error("output type %s is not supported", DataTypeName(out_type_));
    Shape out = batch_;
    out.push_back(m_);
    out.push_back(n_);
    ctx->SetOutput(0, out_type_, out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const auto& in = ctx->inputs;
    auto zero_points = [&](int slot, int64_t n) {
      std::vector<int32_t> zp(static_cast<size_t>(n), 0);
      if (static_cast<int>(in.size()) > slot && in[slot].data) {
        std::vector<int32_t> v = WidenToInt32(in[slot].dtype, in[slot].data, in[slot].size());
        for (int64_t i = 0; i < n && !v.empty(); ++i) zp[i] = v[v.size() == 1 ? 0 : i % v.size()];
      }
      return zp;
    };
    const std::vector<int32_t> a_zp = zero_points(2, m_);
    const std::vector<int32_t> b_zp = zero_points(qlinear_ ? 5 : 3, n_);
    const std::vector<int32_t> a = WidenToInt32(in[0].dtype, in[0].data, in[0].size());
    const std::vector<int32_t> b = WidenToInt32(in[b_].dtype, in[b_].data, in[b_].size());
    double multiplier = 1.0;
    int32_t y_zp = 0;
    if (qlinear_) {
      multiplier = static_cast<double>(ReadScales(in[1].dtype, in[1].data, 1)[0]) *
                   ReadScales(in[4].dtype, in[4].data, 1)[0] /
                   ReadScales(in[6].dtype, in[6].data, 1)[0];
      y_zp = zero_points(7, 1)[0];
    }
    int64_t batch = 0;
    ForEachBroadcast(a_batch_, b_batch_, batch_, [&](int64_t o, int64_t ia, int64_t ib) {
      const int32_t* pa = a.data() + ia * m_ * k_;
      const int32_t* pb = b.data() + ib * k_ * n_;
      for (int64_t i = 0; i < m_; ++i) {
        for (int64_t j = 0; j < n_; ++j) {
          int64_t acc = 0;
          for (int64_t t = 0; t < k_; ++t) {
            acc += static_cast<int64_t>(pa[i * k_ + t] - a_zp[i]) * (pb[t * n_ + j] - b_zp[j]);
          }
          const int64_t at = (o * m_ + i) * n_ + j;
          if (qlinear_) {
            StoreQuantized(out_type_, std::nearbyint(static_cast<double>(acc) * multiplier) + y_zp,
                           ctx->outputs[0].data, at);
          } else {
            ctx->outputs[0].as<int32_t>()[at] = static_cast<int32_t>(acc);
          }
        }
      }
      ++batch;
    });
    if (batch_.empty() && batch == 0) return Error("internal: no batch visited");
    return Status::Ok();
  }

  int64_t Flops() const override { return 2 * NumElements(batch_) * m_ * n_ * k_; }

 private:
  bool qlinear_;
  int b_ = 1;
  DataType out_type_ = DataType::kInt32;
  int64_t m_ = 0, n_ = 0, k_ = 0;
  Shape a_batch_, b_batch_, batch_;
};

template <bool kQLinear>
std::unique_ptr<OpKernel> MakeIntegerMatMul(const NodeInfo&) {
  return std::make_unique<IntegerMatMulKernel>(kQLinear);
}

}  // namespace

void RegisterIntegerMatMulOps(KernelRegistry* r) {
  r->Add("MatMulInteger", &MakeIntegerMatMul<false>);
  r->Add("QLinearMatMul", &MakeIntegerMatMul<true>);
}

}  // namespace ref
}  // namespace tv
