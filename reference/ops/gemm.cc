// Gemm: Y = alpha * op(A) * op(B) + beta * C, C broadcast to [M, N]. float32 via Sgemm, or via
// Sgemv with B packed once when A is a single row and B is constant (batch-1 FC layers).
#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"
#include "reference/sgemm.h"
#include "reference/sgemv.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

class GemmKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(2, 3));
    for (int i = 0; i < ctx->num_inputs(); ++i) {
      if (ctx->has_input(i) && ctx->input_dtype(i) != DataType::kFloat32) {
        return ctx->Error("only float32 is supported, got %s", DataTypeName(ctx->input_dtype(i)));
      }
    }
    const Attributes& at = ctx->attrs();
    trans_a_ = at.GetInt("transA", 0) != 0;
    trans_b_ = at.GetInt("transB", 0) != 0;
    alpha_ = at.GetFloat("alpha", 1.0f);
    beta_ = at.GetFloat("beta", 1.0f);
    Shape a = ctx->input_shape(0), b = ctx->input_shape(1);
    // Opset < 9 flattened higher-rank A to 2-D; accept that common exporter habit.
    if (a.size() > 2) a = {a[0], DimProduct(a, 1, a.size())};
    if (a.size() != 2 || b.size() != 2) {
      return ctx->Error("A %s and B %s must be matrices", ShapeToString(a).c_str(),
                        ShapeToString(b).c_str());
    }
    m_ = trans_a_ ? a[1] : a[0];
    k_ = trans_a_ ? a[0] : a[1];
    n_ = trans_b_ ? b[0] : b[1];
    const int64_t kb = trans_b_ ? b[1] : b[0];
    if (k_ != kb) {
      return ctx->Error("inner dimensions differ: A %s, B %s (transA=%d, transB=%d)",
                        ShapeToString(a).c_str(), ShapeToString(b).c_str(), trans_a_, trans_b_);
    }
    c_shape_.clear();
    if (ctx->has_input(2)) {
      c_shape_ = ctx->input_shape(2);
      Shape out;
      Status s = BroadcastShapes(c_shape_, {m_, n_}, &out);
      if (!s.ok() || out != Shape({m_, n_})) {
        return ctx->Error("C %s does not broadcast to [%lld,%lld]", ShapeToString(c_shape_).c_str(),
                          static_cast<long long>(m_), static_cast<long long>(n_));
      }
    }
    ctx->SetOutput(0, DataType::kFloat32, {m_, n_});
    packed_b_ = PackedGemvMatrix();
    const float* b_value =
        m_ == 1 ? static_cast<const float*>(ctx->input_value_if_known(1)) : nullptr;
    gemv_ = b_value != nullptr;
    if (gemv_) PackGemvMatrix(trans_b_, k_, n_, b_value, trans_b_ ? k_ : n_, &packed_b_);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const float* a = ctx->inputs[0].as<float>();
    const float* b = ctx->inputs[1].as<float>();
    float* y = ctx->outputs[0].as<float>();
    const bool has_c = ctx->inputs.size() > 2 && ctx->inputs[2].data && beta_ != 0.0f;
    if (gemv_) {
      SgemvPacked(packed_b_, a, 1, y, ctx->pool);  // bit-identical to Sgemm with M == 1
    } else {
      Sgemm(trans_a_, trans_b_, m_, n_, k_, a, trans_a_ ? m_ : k_, b, trans_b_ ? k_ : n_, y, n_,
            ctx->pool);
    }
    if (alpha_ != 1.0f) {
      for (int64_t i = 0; i < m_ * n_; ++i) y[i] *= alpha_;
    }
    if (has_c) {
      const float* c = ctx->inputs[2].as<float>();
      const Shape out = {m_, n_};
      ForEachBroadcast(out, c_shape_, out,
                       [&](int64_t o, int64_t, int64_t j) { y[o] += beta_ * c[j]; });
    }
    return Status::Ok();
  }

  int64_t Flops() const override { return 2 * m_ * n_ * k_; }

 private:
  bool trans_a_ = false, trans_b_ = false;
  float alpha_ = 1.0f, beta_ = 1.0f;
  int64_t m_ = 0, n_ = 0, k_ = 0;
  Shape c_shape_;
  bool gemv_ = false;          // m_ == 1 and B is constant
  PackedGemvMatrix packed_b_;  // when gemv_
};

}  // namespace

void RegisterGemmOps(KernelRegistry* r) { r->Add("Gemm", &MakeKernel<GemmKernel>); }

}  // namespace ref
}  // namespace tv
