// MatMul with numpy semantics: 1-D operands are promoted (and the added dim removed again),
// leading batch dimensions broadcast. float32 via Sgemm, one GEMM per batch entry.
#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"
#include "reference/sgemm.h"
#include "reference/thread_pool.h"

namespace tv {
namespace ref {
namespace {

class MatMulKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(2, 2));
    if (ctx->input_dtype(0) != DataType::kFloat32 || ctx->input_dtype(1) != DataType::kFloat32) {
      return ctx->Error("only float32 is supported, got %s", DataTypeName(ctx->input_dtype(0)));
    }
    Shape a = ctx->input_shape(0), b = ctx->input_shape(1);
    if (a.empty() || b.empty()) return ctx->Error("operands must have rank >= 1");
    const bool a_vec = a.size() == 1, b_vec = b.size() == 1;
    if (a_vec) a.insert(a.begin(), 1);
    if (b_vec) b.push_back(1);
    m_ = a[a.size() - 2];
    k_ = a.back();
    n_ = b.back();
    if (b[b.size() - 2] != k_) {
      return ctx->Error("inner dimensions differ: %s x %s",
                        ShapeToString(ctx->input_shape(0)).c_str(),
                        ShapeToString(ctx->input_shape(1)).c_str());
    }
    a_batch_ = Shape(a.begin(), a.end() - 2);
    b_batch_ = Shape(b.begin(), b.end() - 2);
    Status s = BroadcastShapes(a_batch_, b_batch_, &batch_);
    if (!s.ok()) return ctx->Error("batch dimensions: %s", s.message());
    Shape out = batch_;
    if (!a_vec) out.push_back(m_);
    if (!b_vec) out.push_back(n_);
    ctx->SetOutput(0, DataType::kFloat32, out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const float* a = ctx->inputs[0].as<float>();
    const float* b = ctx->inputs[1].as<float>();
    float* y = ctx->outputs[0].as<float>();
    std::vector<int64_t> a_off, b_off;
    ForEachBroadcast(a_batch_, b_batch_, batch_, [&](int64_t, int64_t i, int64_t j) {
      a_off.push_back(i * m_ * k_);
      b_off.push_back(j * k_ * n_);
    });
    for (size_t i = 0; i < a_off.size(); ++i) {
      Sgemm(false, false, m_, n_, k_, a + a_off[i], k_, b + b_off[i], n_, y + i * m_ * n_, n_,
            ctx->pool);
    }
    return Status::Ok();
  }

  int64_t Flops() const override { return 2 * NumElements(batch_) * m_ * n_ * k_; }

 private:
  int64_t m_ = 0, n_ = 0, k_ = 0;
  Shape a_batch_, b_batch_, batch_;
};

}  // namespace

void RegisterMatMulOps(KernelRegistry* r) { r->Add("MatMul", &MakeKernel<MatMulKernel>); }

}  // namespace ref
}  // namespace tv
