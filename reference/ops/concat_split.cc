// Concat and Split along one axis (any dtype: they only move bytes).
#include <cstring>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

class ConcatKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    if (ctx->num_inputs() < 1) return ctx->Error("needs at least one input");
    const Shape& first = ctx->input_shape(0);
    const int64_t rank = static_cast<int64_t>(first.size());
    int64_t axis;
    Status s = NormalizeAxis(ctx->attrs().GetInt("axis", 1), rank, &axis);
    if (!s.ok()) return ctx->Error("%s", s.message());
    Shape out = first;
    out[axis] = 0;
    widths_.clear();
    for (int i = 0; i < ctx->num_inputs(); ++i) {
      if (!ctx->has_input(i)) return ctx->Error("input %d is missing", i);
      const Shape& in = ctx->input_shape(i);
      if (ctx->input_dtype(i) != ctx->input_dtype(0) || in.size() != first.size()) {
        return ctx->Error("input %d (%s %s) does not match input 0 (%s %s)", i,
                          DataTypeName(ctx->input_dtype(i)), ShapeToString(in).c_str(),
                          DataTypeName(ctx->input_dtype(0)), ShapeToString(first).c_str());
      }
      for (int64_t d = 0; d < rank; ++d) {
        if (d != axis && in[d] != first[d]) {
          return ctx->Error("input %d shape %s does not match %s outside axis %lld", i,
                            ShapeToString(in).c_str(), ShapeToString(first).c_str(),
                            static_cast<long long>(axis));
        }
      }
      out[axis] += in[axis];
      widths_.push_back(DimProduct(in, axis, in.size()));
    }
    elem_ = DataTypeSize(ctx->input_dtype(0));
    outer_ = DimProduct(first, 0, axis);
    ctx->SetOutput(0, ctx->input_dtype(0), out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    uint8_t* out = static_cast<uint8_t*>(ctx->outputs[0].data);
    int64_t row = 0;
    for (int64_t w : widths_) row += w;
    int64_t offset = 0;
    for (size_t i = 0; i < widths_.size(); ++i) {
      const uint8_t* in = static_cast<const uint8_t*>(ctx->inputs[i].data);
      const size_t bytes = static_cast<size_t>(widths_[i]) * elem_;
      for (int64_t o = 0; o < outer_ && bytes; ++o) {
        std::memcpy(out + (o * row + offset) * elem_, in + o * bytes, bytes);
      }
      offset += widths_[i];
    }
    return Status::Ok();
  }

 private:
  std::vector<int64_t> widths_;  // elements per outer index contributed by each input
  int64_t outer_ = 0;
  size_t elem_ = 4;
};

class SplitKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    if (!ctx->has_input(0)) return ctx->Error("input 0 is missing");
    const Shape& in = ctx->input_shape(0);
    int64_t axis;
    Status s =
        NormalizeAxis(ctx->attrs().GetInt("axis", 0), static_cast<int64_t>(in.size()), &axis);
    if (!s.ok()) return ctx->Error("%s", s.message());
    std::vector<int64_t> split = ctx->attrs().GetInts("split");
    if (ctx->has_input(1)) TV_RETURN_IF_ERROR(ctx->InputAsInts(1, &split));
    const int64_t parts = ctx->num_outputs();
    if (split.empty()) {
      // Opset 18 num_outputs: equal chunks, the last one smaller.
      const int64_t chunk = (in[axis] + parts - 1) / parts;
      for (int64_t p = 0; p < parts; ++p) split.push_back(std::min(chunk, in[axis] - p * chunk));
    }
    int64_t total = 0;
    for (int64_t v : split) {
      if (v < 0) return ctx->Error("negative split size");
      total += v;
    }
    if (static_cast<int64_t>(split.size()) != parts || total != in[axis]) {
      return ctx->Error("split sizes do not add up to dimension %lld (%lld) over %lld outputs",
                        static_cast<long long>(axis), static_cast<long long>(in[axis]),
                        static_cast<long long>(parts));
    }
    elem_ = DataTypeSize(ctx->input_dtype(0));
    outer_ = DimProduct(in, 0, axis);
    inner_ = DimProduct(in, axis + 1, in.size());
    sizes_ = split;
    for (int64_t p = 0; p < parts; ++p) {
      Shape out = in;
      out[axis] = split[p];
      ctx->SetOutput(static_cast<int>(p), ctx->input_dtype(0), out);
    }
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const uint8_t* in = static_cast<const uint8_t*>(ctx->inputs[0].data);
    int64_t row = 0;
    for (int64_t v : sizes_) row += v;
    int64_t offset = 0;
    for (size_t p = 0; p < sizes_.size(); ++p) {
      uint8_t* out = static_cast<uint8_t*>(ctx->outputs[p].data);
      const size_t bytes = static_cast<size_t>(sizes_[p] * inner_) * elem_;
      for (int64_t o = 0; out && bytes && o < outer_; ++o) {
        std::memcpy(out + o * bytes, in + (o * row + offset) * inner_ * elem_, bytes);
      }
      offset += sizes_[p];
    }
    return Status::Ok();
  }

 private:
  std::vector<int64_t> sizes_;
  int64_t outer_ = 0, inner_ = 0;
  size_t elem_ = 4;
};

}  // namespace

void RegisterConcatSplitOps(KernelRegistry* r) {
  r->Add("Concat", &MakeKernel<ConcatKernel>);
  r->Add("Split", &MakeKernel<SplitKernel>);
}

}  // namespace ref
}  // namespace tv
