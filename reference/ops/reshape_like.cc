// Operators that only relabel the shape of their first input, sharing its buffer: Reshape,
// Flatten, Squeeze, Unsqueeze, Identity and (inference-mode) Dropout.
#include <algorithm>
#include <cstring>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

enum class Relabel { kReshape, kFlatten, kSqueeze, kUnsqueeze, kIdentity, kDropout };

class RelabelKernel : public OpKernel {
 public:
  explicit RelabelKernel(Relabel kind) : kind_(kind) {}

  Status Prepare(PrepareContext* ctx) override {
    if (!ctx->has_input(0)) return ctx->Error("input 0 is missing");
    const Shape& in = ctx->input_shape(0);
    const int64_t rank = static_cast<int64_t>(in.size());
    Shape out;
    switch (kind_) {
      case Relabel::kReshape:
        TV_RETURN_IF_ERROR(ReshapeTarget(ctx, in, &out));
        break;
      case Relabel::kFlatten: {
        int64_t axis = ctx->attrs().GetInt("axis", 1);
        if (axis < 0) axis += rank;
        if (axis < 0 || axis > rank)
          return ctx->Error("axis is out of range for rank %lld", static_cast<long long>(rank));
        out = {DimProduct(in, 0, axis), DimProduct(in, axis, in.size())};
        break;
      }
      case Relabel::kSqueeze:
      case Relabel::kUnsqueeze: {
        std::vector<int64_t> axes = ctx->attrs().GetInts("axes");
        if (ctx->has_input(1)) TV_RETURN_IF_ERROR(ctx->InputAsInts(1, &axes));
        if (kind_ == Relabel::kSqueeze) {
          TV_RETURN_IF_ERROR(SqueezeShape(ctx, in, axes, &out));
        } else {
          TV_RETURN_IF_ERROR(UnsqueezeShape(ctx, in, axes, &out));
        }
        break;
      }
      case Relabel::kIdentity:
        out = in;
        break;
      case Relabel::kDropout: {
        out = in;
        // Opset 12+: training_mode input; randomness cannot be reproduced, so refuse it.
        if (ctx->has_input(2)) {
          const void* training = ctx->input_value(2);
          if (!training) return ctx->Error("training_mode must be a constant");
          float ratio = 0.5f;
          if (ctx->has_input(1)) TV_RETURN_IF_ERROR(ctx->InputAsFloat(1, &ratio));
          // Random masks cannot be reproduced; ratio 0 keeps everything and is exact.
          if (*static_cast<const bool*>(training) && ratio != 0.0f) {
            return ctx->Error("training_mode=true with a non-zero ratio is not supported");
          }
        }
        if (ctx->has_output(1)) ctx->SetOutput(1, DataType::kBool, in);
        break;
      }
    }
    if (NumElements(out) != NumElements(in)) {
      return ctx->Error("cannot relabel %s as %s", ShapeToString(in).c_str(),
                        ShapeToString(out).c_str());
    }
    bytes_ = static_cast<size_t>(NumElements(in)) * DataTypeSize(ctx->input_dtype(0));
    ctx->SetOutput(0, ctx->input_dtype(0), out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    if (ctx->outputs[0].data != ctx->inputs[0].data && bytes_) {
      std::memcpy(ctx->outputs[0].data, ctx->inputs[0].data, bytes_);
    }
    if (kind_ == Relabel::kDropout && ctx->outputs.size() > 1 && ctx->outputs[1].data) {
      std::memset(ctx->outputs[1].data, 1, static_cast<size_t>(ctx->outputs[1].size()));
    }
    return Status::Ok();
  }

  bool OutputAliasesInput() const override { return true; }

 private:
  static Status ReshapeTarget(PrepareContext* ctx, const Shape& in, Shape* out) {
    std::vector<int64_t> target;
    if (ctx->opset() < 5 || !ctx->has_input(1)) {
      target = ctx->attrs().GetInts("shape");
    } else {
      TV_RETURN_IF_ERROR(ctx->InputAsInts(1, &target));
    }
    const bool allow_zero = ctx->attrs().GetInt("allowzero", 0) != 0;
    int64_t infer = -1, known = 1;
    for (size_t i = 0; i < target.size(); ++i) {
      int64_t d = target[i];
      if (d == 0 && !allow_zero) {
        if (i >= in.size()) return ctx->Error("0 in shape at position %zu copies a missing dim", i);
        d = in[i];
      }
      if (d == -1) {
        if (infer >= 0) return ctx->Error("shape has more than one -1");
        infer = static_cast<int64_t>(i);
        out->push_back(1);
        continue;
      }
      if (d < 0) return ctx->Error("invalid dimension %lld in shape", static_cast<long long>(d));
      out->push_back(d);
      known = SaturatingMul(known, d);
    }
    if (infer >= 0) {
      if (known == 0 || NumElements(in) % known != 0) {
        return ctx->Error("cannot reshape %s to %s", ShapeToString(in).c_str(),
                          ShapeToString(target).c_str());
      }
      (*out)[infer] = NumElements(in) / known;
    }
    return Status::Ok();
  }

  static Status SqueezeShape(PrepareContext* ctx, const Shape& in, std::vector<int64_t> axes,
                             Shape* out) {
    const int64_t rank = static_cast<int64_t>(in.size());
    std::vector<bool> drop(in.size(), false);
    if (axes.empty()) {
      for (size_t i = 0; i < in.size(); ++i) drop[i] = in[i] == 1;
    }
    for (int64_t a : axes) {
      int64_t axis;
      Status s = NormalizeAxis(a, rank, &axis);
      if (!s.ok()) return ctx->Error("%s", s.message());
      if (in[axis] != 1)
        return ctx->Error("cannot squeeze dimension %lld of size %lld",
                          static_cast<long long>(axis), static_cast<long long>(in[axis]));
      drop[axis] = true;
    }
    for (size_t i = 0; i < in.size(); ++i)
      if (!drop[i]) out->push_back(in[i]);
    return Status::Ok();
  }

  static Status UnsqueezeShape(PrepareContext* ctx, const Shape& in, std::vector<int64_t> axes,
                               Shape* out) {
    const int64_t rank = static_cast<int64_t>(in.size() + axes.size());
    std::vector<bool> inserted(rank, false);
    for (int64_t a : axes) {
      int64_t axis;
      Status s = NormalizeAxis(a, rank, &axis);
      if (!s.ok()) return ctx->Error("%s", s.message());
      if (inserted[axis]) return ctx->Error("axis %lld is repeated", static_cast<long long>(a));
      inserted[axis] = true;
    }
    size_t next = 0;
    for (int64_t i = 0; i < rank; ++i) out->push_back(inserted[i] ? 1 : in[next++]);
    return Status::Ok();
  }

  Relabel kind_;
  size_t bytes_ = 0;
};

template <Relabel kKind>
std::unique_ptr<OpKernel> MakeRelabel(const NodeInfo&) {
  return std::make_unique<RelabelKernel>(kKind);
}

}  // namespace

void RegisterReshapeLikeOps(KernelRegistry* r) {
  r->Add("Reshape", &MakeRelabel<Relabel::kReshape>);
  r->Add("Flatten", &MakeRelabel<Relabel::kFlatten>);
  r->Add("Squeeze", &MakeRelabel<Relabel::kSqueeze>);
  r->Add("Unsqueeze", &MakeRelabel<Relabel::kUnsqueeze>);
  r->Add("Identity", &MakeRelabel<Relabel::kIdentity>);
  r->Add("Dropout", &MakeRelabel<Relabel::kDropout>);
}

}  // namespace ref
}  // namespace tv
