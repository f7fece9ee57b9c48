// Index-driven data movement: Gather (with negative indices), Pad (constant, edge, reflect,
// wrap; negative pads crop) and Tile.
#include <cstdlib>
#include <cstring>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

class GatherKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(2, 2));
    const Shape& data = ctx->input_shape(0);
    const Shape& idx = ctx->input_shape(1);
    index_type_ = ctx->input_dtype(1);
    if (index_type_ != DataType::kInt64 && index_type_ != DataType::kInt32) {
      return ctx->Error("indices must be int32 or int64");
    }
    int64_t axis;
    Status s =
        NormalizeAxis(ctx->attrs().GetInt("axis", 0), static_cast<int64_t>(data.size()), &axis);
    if (!s.ok()) return ctx->Error("%s", s.message());
    outer_ = DimProduct(data, 0, axis);
    dim_ = data[axis];
    inner_ = DimProduct(data, axis + 1, data.size());
    count_ = NumElements(idx);
    elem_ = DataTypeSize(ctx->input_dtype(0));
    Shape out(data.begin(), data.begin() + axis);
    out.insert(out.end(), idx.begin(), idx.end());
    out.insert(out.end(), data.begin() + axis + 1, data.end());
    ctx->SetOutput(0, ctx->input_dtype(0), out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const uint8_t* data = static_cast<const uint8_t*>(ctx->inputs[0].data);
    uint8_t* out = static_cast<uint8_t*>(ctx->outputs[0].data);
    const size_t row = static_cast<size_t>(inner_) * elem_;
    for (int64_t i = 0; i < count_; ++i) {
      int64_t k = index_type_ == DataType::kInt64 ? ctx->inputs[1].as<int64_t>()[i]
                                                  : ctx->inputs[1].as<int32_t>()[i];
      if (k < 0) k += dim_;
      if (k < 0 || k >= dim_)
        return Error("index %lld is out of range [0, %lld)", static_cast<long long>(k),
                     static_cast<long long>(dim_));
      for (int64_t o = 0; o < outer_ && row; ++o) {
        std::memcpy(out + (o * count_ + i) * row, data + (o * dim_ + k) * row, row);
      }
    }
    return Status::Ok();
  }

 private:
  DataType index_type_ = DataType::kInt64;
  int64_t outer_ = 0, dim_ = 0, inner_ = 0, count_ = 0;
  size_t elem_ = 4;
};

// Maps an output coordinate to a source coordinate per dimension; -1 = use the pad value.
class PadKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    const Shape& in = ctx->input_shape(0);
    const int64_t rank = static_cast<int64_t>(in.size());
    mode_ = ctx->attrs().GetString("mode", "constant");
    if (mode_ != "constant" && mode_ != "edge" && mode_ != "reflect" && mode_ != "wrap") {
      return ctx->Error("mode '%s' is not supported", mode_.c_str());
    }
    std::vector<int64_t> pads;
    dtype_ = ctx->input_dtype(0);
    value_.assign(DataTypeSize(dtype_), 0);
    if (ctx->opset() < 11) {
      pads = ctx->attrs().GetInts("pads", ctx->attrs().GetInts("paddings"));
      const float v = ctx->attrs().GetFloat("value", 0.0f);
      if (dtype_ == DataType::kFloat32) std::memcpy(value_.data(), &v, 4);
    } else {
      TV_RETURN_IF_ERROR(ctx->InputAsInts(1, &pads));
      if (ctx->has_input(2)) {
        const void* v = ctx->input_value(2);
        if (!v) return ctx->Error("constant_value must be a constant");
        if (ctx->input_dtype(2) != dtype_)
          return ctx->Error("constant_value type differs from data");
        if (NumElements(ctx->input_shape(2)) > 0) std::memcpy(value_.data(), v, value_.size());
      }
    }
    std::vector<int64_t> axes;
    if (ctx->has_input(3)) {
      TV_RETURN_IF_ERROR(ctx->InputAsInts(3, &axes));
    } else {
      for (int64_t i = 0; i < rank; ++i) axes.push_back(i);
    }
    if (pads.size() != 2 * axes.size())
      return ctx->Error("pads must have 2 x %zu entries", axes.size());
    begin_.assign(rank, 0);
    Shape out = in;
    for (size_t i = 0; i < axes.size(); ++i) {
      int64_t axis;
      Status s = NormalizeAxis(axes[i], rank, &axis);
      if (!s.ok()) return ctx->Error("%s", s.message());
      begin_[axis] = pads[i];
      if (std::llabs(pads[i]) > kHugeCount || std::llabs(pads[i + axes.size()]) > kHugeCount) {
        return ctx->Error("pads are out of range");
      }
      out[axis] = in[axis] + pads[i] + pads[i + axes.size()];
      if (out[axis] < 0)
        return ctx->Error("pads crop dimension %lld below zero", static_cast<long long>(axis));
      if (mode_ != "constant" && in[axis] == 0 && out[axis] > 0) {
        return ctx->Error("mode '%s' cannot pad an empty dimension", mode_.c_str());
      }
    }
    in_shape_ = in;
    out_shape_ = out;
    ctx->SetOutput(0, dtype_, out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const size_t elem = value_.size();
    const uint8_t* in = static_cast<const uint8_t*>(ctx->inputs[0].data);
    uint8_t* out = static_cast<uint8_t*>(ctx->outputs[0].data);
    const size_t rank = out_shape_.size();
    // Per-dimension lookup tables: source coordinate for each output coordinate.
    std::vector<std::vector<int64_t>> source(rank);
    for (size_t d = 0; d < rank; ++d) {
      const int64_t n = in_shape_[d];
      for (int64_t o = 0; o < out_shape_[d]; ++o)
        source[d].push_back(SourceIndex(o - begin_[d], n));
    }
    const int64_t total = NumElements(out_shape_);
    std::vector<int64_t> idx(rank, 0);
    for (int64_t o = 0; o < total; ++o) {
      int64_t offset = 0;
      bool inside = true;
      for (size_t d = 0; d < rank; ++d) {
        const int64_t s = source[d][idx[d]];
        inside &= s >= 0;
        offset = offset * in_shape_[d] + s;
      }
      std::memcpy(out + o * elem, inside ? in + offset * elem : value_.data(), elem);
      for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
        if (++idx[d] < out_shape_[d]) break;
        idx[d] = 0;
      }
    }
    return Status::Ok();
  }

 private:
  int64_t SourceIndex(int64_t i, int64_t n) const {
    if (i >= 0 && i < n) return i;
    if (mode_ == "constant") return -1;
    if (mode_ == "edge") return i < 0 ? 0 : n - 1;
    if (mode_ == "wrap") return ((i % n) + n) % n;
    if (n == 1) return 0;  // reflect of a single element
    const int64_t period = 2 * (n - 1);
    int64_t r = ((i % period) + period) % period;
    return r < n ? r : period - r;
  }

  std::string mode_;
  DataType dtype_ = DataType::kFloat32;
  std::vector<uint8_t> value_;
  std::vector<int64_t> begin_;
  Shape in_shape_, out_shape_;
};

class TileKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(2, 2));
    const Shape& in = ctx->input_shape(0);
    std::vector<int64_t> repeats;
    TV_RETURN_IF_ERROR(ctx->InputAsInts(1, &repeats));
    if (repeats.size() != in.size()) return ctx->Error("repeats must have %zu entries", in.size());
    Shape out = in;
    for (size_t i = 0; i < in.size(); ++i) {
      if (repeats[i] < 0) return ctx->Error("repeats must be non-negative");
      out[i] = SaturatingMul(out[i], repeats[i]);
    }
    in_shape_ = in;
    out_shape_ = out;
    elem_ = DataTypeSize(ctx->input_dtype(0));
    ctx->SetOutput(0, ctx->input_dtype(0), out);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const uint8_t* in = static_cast<const uint8_t*>(ctx->inputs[0].data);
    uint8_t* out = static_cast<uint8_t*>(ctx->outputs[0].data);
    const size_t rank = out_shape_.size();
    const int64_t total = NumElements(out_shape_);
    std::vector<int64_t> idx(rank, 0);
    for (int64_t o = 0; o < total; ++o) {
      int64_t offset = 0;
      for (size_t d = 0; d < rank; ++d) offset = offset * in_shape_[d] + idx[d] % in_shape_[d];
      std::memcpy(out + o * elem_, in + offset * elem_, elem_);
      for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
        if (++idx[d] < out_shape_[d]) break;
        idx[d] = 0;
      }
    }
    return Status::Ok();
  }

 private:
  Shape in_shape_, out_shape_;
  size_t elem_ = 4;
};

}  // namespace

void RegisterGatherPadTileOps(KernelRegistry* r) {
  r->Add("Gather", &MakeKernel<GatherKernel>);
  r->Add("Pad", &MakeKernel<PadKernel>);
  r->Add("Tile", &MakeKernel<TileKernel>);
}

}  // namespace ref
}  // namespace tv
