// Operators that produce constants or shape facts: Constant, ConstantOfShape, Shape, Size.
// The planner folds all of them (Shape and Size only need the input's shape).
#include <cstring>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"

namespace tv {
namespace ref {
namespace {

class ConstantKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    const Attributes& at = ctx->attrs();
    value_ = Tensor();
    if (const Tensor* t = at.GetTensor("value")) {
      value_ = *t;
    } else if (const AttributeValue* v = at.Find("value_float")) {
      SetScalars(DataType::kFloat32, std::vector<float>{v->f}, false);
    } else if (const AttributeValue* v = at.Find("value_floats")) {
      SetScalars(DataType::kFloat32, v->floats, true);
    } else if (const AttributeValue* v = at.Find("value_int")) {
      SetScalars(DataType::kInt64, std::vector<int64_t>{v->i}, false);
    } else if (const AttributeValue* v = at.Find("value_ints")) {
      SetScalars(DataType::kInt64, v->ints, true);
    } else {
      return ctx->Error("needs a value, value_float(s) or value_int(s) attribute");
    }
    ctx->SetOutput(0, value_.dtype, value_.shape);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    if (!value_.bytes.empty())
      std::memcpy(ctx->outputs[0].data, value_.bytes.data(), value_.bytes.size());
    return Status::Ok();
  }

 private:
  template <typename T>
  void SetScalars(DataType dtype, const std::vector<T>& values, bool is_vector) {
    value_.dtype = dtype;
    value_.shape = is_vector ? Shape{static_cast<int64_t>(values.size())} : Shape{};
    const uint8_t* begin = reinterpret_cast<const uint8_t*>(values.data());
    value_.bytes.assign(begin, begin + values.size() * sizeof(T));
  }

  Tensor value_;
};

class ConstantOfShapeKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    Shape shape;
    TV_RETURN_IF_ERROR(ctx->InputAsInts(0, &shape));
    for (int64_t d : shape)
      if (d < 0) return ctx->Error("negative dimension in %s", ShapeToString(shape).c_str());
    fill_.assign(4, 0);
    dtype_ = DataType::kFloat32;
    if (const Tensor* t = ctx->attrs().GetTensor("value")) {
      if (t->NumElements() != 1) return ctx->Error("value must hold exactly one element");
      dtype_ = t->dtype;
      fill_ = t->bytes;
    }
    ctx->SetOutput(0, dtype_, shape);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const int64_t n = ctx->outputs[0].size();
    const size_t elem = fill_.size();
    uint8_t* out = static_cast<uint8_t*>(ctx->outputs[0].data);
    if (n == 0) return Status::Ok();
    bool all_zero = true;
    for (uint8_t b : fill_) all_zero &= b == 0;
    if (all_zero) {
      std::memset(out, 0, static_cast<size_t>(n) * elem);
    } else {
      for (int64_t i = 0; i < n; ++i) std::memcpy(out + i * elem, fill_.data(), elem);
    }
    return Status::Ok();
  }

 private:
  DataType dtype_ = DataType::kFloat32;
  std::vector<uint8_t> fill_;
};

class ShapeKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    const Shape& in = ctx->input_shape(0);
    const int64_t rank = static_cast<int64_t>(in.size());
    int64_t start = ctx->attrs().GetInt("start", 0);
    int64_t end = ctx->attrs().GetInt("end", rank);
    // Opset 15 slicing: negative values count from the back, then clamp to [0, rank].
    if (start < 0) start += rank;
    if (end < 0) end += rank;
    start = std::min(std::max<int64_t>(start, 0), rank);
    end = std::min(std::max<int64_t>(end, 0), rank);
    dims_.assign(in.begin() + start, in.begin() + std::max(start, end));
    ctx->SetOutput(0, DataType::kInt64, {static_cast<int64_t>(dims_.size())});
    return Status::Ok();
  }
  Status Run(RunContext* ctx) override {
    if (!dims_.empty())
      std::memcpy(ctx->outputs[0].data, dims_.data(), dims_.size() * sizeof(int64_t));
    return Status::Ok();
  }
  bool NeedsOnlyInputShapes() const override { return true; }

 private:
  Shape dims_;
};

class SizeKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    size_ = NumElements(ctx->input_shape(0));
    ctx->SetOutput(0, DataType::kInt64, {});
    return Status::Ok();
  }
  Status Run(RunContext* ctx) override {
    *ctx->outputs[0].as<int64_t>() = size_;
    return Status::Ok();
  }
  bool NeedsOnlyInputShapes() const override { return true; }

 private:
  int64_t size_ = 0;
};

}  // namespace

void RegisterConstantAndShapeOps(KernelRegistry* r) {
  r->Add("Constant", &MakeKernel<ConstantKernel>);
  r->Add("ConstantOfShape", &MakeKernel<ConstantOfShapeKernel>);
  r->Add("Shape", &MakeKernel<ShapeKernel>);
  r->Add("Size", &MakeKernel<SizeKernel>);
}

}  // namespace ref
}  // namespace tv
