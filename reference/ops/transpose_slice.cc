// Pure data-movement views expressed as one strided copy: Transpose, Slice, Expand.
#include <algorithm>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

std::vector<int64_t> RowMajorStrides(const Shape& shape) {
  std::vector<int64_t> strides(shape.size(), 1);
  for (int d = static_cast<int>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

// Shared Run(): out = in viewed through (strides_, offset_).
class StridedViewKernel : public OpKernel {
 public:
  Status Run(RunContext* ctx) override {
    StridedCopy(ctx->inputs[0].data, strides_, offset_, ctx->outputs[0].data, out_shape_, elem_);
    return Status::Ok();
  }

 protected:
  void Finish(PrepareContext* ctx, Shape out_shape, std::vector<int64_t> strides, int64_t offset) {
    out_shape_ = std::move(out_shape);
    strides_ = std::move(strides);
    offset_ = offset;
    elem_ = DataTypeSize(ctx->input_dtype(0));
    ctx->SetOutput(0, ctx->input_dtype(0), out_shape_);
  }

 private:
  Shape out_shape_;
  std::vector<int64_t> strides_;
  int64_t offset_ = 0;
  size_t elem_ = 4;
};

class TransposeKernel : public StridedViewKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    const Shape& in = ctx->input_shape(0);
    const size_t rank = in.size();
    std::vector<int64_t> perm = ctx->attrs().GetInts("perm");
    if (perm.empty()) {
      for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
    }
    if (perm.size() != rank)
      return ctx->Error("perm has %zu entries for rank %zu", perm.size(), rank);
    std::vector<bool> seen(rank, false);
    const std::vector<int64_t> in_strides = RowMajorStrides(in);
    Shape out(rank);
    std::vector<int64_t> strides(rank);
    for (size_t i = 0; i < rank; ++i) {
      int64_t p = perm[i] < 0 ? perm[i] + static_cast<int64_t>(rank) : perm[i];
      if (p < 0 || p >= static_cast<int64_t>(rank) || seen[p])
        return ctx->Error("perm is not a permutation");
      seen[p] = true;
      out[i] = in[p];
      strides[i] = in_strides[p];
    }
    Finish(ctx, out, strides, 0);
    return Status::Ok();
  }
};

class SliceKernel : public StridedViewKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    const Shape& in = ctx->input_shape(0);
    const int64_t rank = static_cast<int64_t>(in.size());
    std::vector<int64_t> starts, ends, axes, steps;
    if (ctx->opset() < 10) {
      starts = ctx->attrs().GetInts("starts");
      ends = ctx->attrs().GetInts("ends");
      axes = ctx->attrs().GetInts("axes");
    } else {
      TV_RETURN_IF_ERROR(ctx->CheckArity(3, 5));
      TV_RETURN_IF_ERROR(ctx->InputAsInts(1, &starts));
      TV_RETURN_IF_ERROR(ctx->InputAsInts(2, &ends));
      if (ctx->has_input(3)) TV_RETURN_IF_ERROR(ctx->InputAsInts(3, &axes));
      if (ctx->has_input(4)) TV_RETURN_IF_ERROR(ctx->InputAsInts(4, &steps));
    }
    if (axes.empty())
      for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() ||
        steps.size() != starts.size()) {
      return ctx->Error("starts, ends, axes and steps must have the same length");
    }
    Shape out = in;
    std::vector<int64_t> strides = RowMajorStrides(in);
    int64_t offset = 0;
    std::vector<bool> seen(in.size(), false);
    for (size_t i = 0; i < starts.size(); ++i) {
      int64_t axis;
      Status s = NormalizeAxis(axes[i], rank, &axis);
      if (!s.ok()) return ctx->Error("%s", s.message());
      if (seen[axis]) return ctx->Error("axis %lld is repeated", static_cast<long long>(axes[i]));
      seen[axis] = true;
      const int64_t dim = in[axis], step = steps[i];
      if (step == 0) return ctx->Error("step must not be 0");
      if (dim == 0) continue;  // nothing to select; the dimension stays 0
      int64_t start = starts[i], end = ends[i];
      if (start < 0) start += dim;
      if (end < 0) end += dim;
      if (step > 0) {
        start = std::clamp<int64_t>(start, 0, dim);
        end = std::clamp<int64_t>(end, 0, dim);
      } else {
        start = std::clamp<int64_t>(start, 0, dim - 1);
        end = std::clamp<int64_t>(end, -1, dim - 1);
      }
      // Huge sentinel ends (INT64_MAX) were clamped above, so this cannot overflow.
      const int64_t count =
          step > 0 ? (end - start + step - 1) / step : (start - end - step - 1) / -step;
      out[axis] = std::max<int64_t>(count, 0);
      offset += out[axis] > 0 ? start * strides[axis] : 0;
      strides[axis] *= step;
    }
    Finish(ctx, out, strides, offset);
    return Status::Ok();
  }
};

class ExpandKernel : public StridedViewKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(2, 2));
    Shape target, out;
    TV_RETURN_IF_ERROR(ctx->InputAsInts(1, &target));
    Status s = BroadcastShapes(ctx->input_shape(0), target, &out);
    if (!s.ok()) return ctx->Error("%s", s.message());
    Finish(ctx, out, BroadcastStrides(ctx->input_shape(0), out), 0);
    return Status::Ok();
  }
};

}  // namespace

void RegisterTransposeSliceOps(KernelRegistry* r) {
  r->Add("Transpose", &MakeKernel<TransposeKernel>);
  r->Add("Slice", &MakeKernel<SliceKernel>);
  r->Add("Expand", &MakeKernel<ExpandKernel>);
}

}  // namespace ref
}  // namespace tv
