// Cast (numeric, bool, float16, bfloat16), Where (three-way broadcast) and Clip.
#include <cmath>
#include <limits>
#include <type_traits>

#include "reference/ops/op_util.h"
#include "reference/ops/registry.h"
#include "reference/tensor_proto.h"

namespace tv {
namespace ref {
namespace {

// Reads element i of any supported type as double (integers up to 2^53 exactly).
double LoadAsDouble(DataType t, const void* p, int64_t i) {
  switch (t) {
    case DataType::kFloat16:
      return HalfToFloat(static_cast<const uint16_t*>(p)[i]);
    case DataType::kBFloat16:
      return BFloat16ToFloat(static_cast<const uint16_t*>(p)[i]);
    default:
      break;
  }
  double v = 0.0;
  DispatchAll(t,
              [&](auto tag) { v = static_cast<double>(static_cast<const decltype(tag)*>(p)[i]); });
  return v;
}

// Float to integer conversion without undefined behaviour: NaN -> 0, saturate at the limits.
template <typename T>
T SaturatingCast(double v) {
  if constexpr (std::is_same<T, bool>::value) {
    return v != 0.0;
  } else if constexpr (std::is_floating_point<T>::value) {
    return static_cast<T>(v);
  } else {
    if (std::isnan(v)) return T(0);
    if (v <= static_cast<double>(std::numeric_limits<T>::lowest()))
      return std::numeric_limits<T>::lowest();
    if (v >= static_cast<double>(std::numeric_limits<T>::max()))
      return std::numeric_limits<T>::max();
    return static_cast<T>(v);
  }
}

class CastKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 1));
    from_ = ctx->input_dtype(0);
    const int64_t to = ctx->attrs().GetInt("to", 0);
    if (!DataTypeFromOnnx(static_cast<int32_t>(to), &to_)) {
      return ctx->Error("cast to %s is not supported", OnnxTypeName(static_cast<int32_t>(to)));
    }
    count_ = NumElements(ctx->input_shape(0));
    ctx->SetOutput(0, to_, ctx->input_shape(0));
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const void* in = ctx->inputs[0].data;
    void* out = ctx->outputs[0].data;
    if (from_ == to_) {
      std::memcpy(out, in, static_cast<size_t>(count_) * DataTypeSize(to_));
      return Status::Ok();
    }
    const bool int_to_int = from_ == DataType::kInt64 || from_ == DataType::kUInt64;
    if (to_ == DataType::kFloat16 || to_ == DataType::kBFloat16) {
      uint16_t* o = static_cast<uint16_t*>(out);
      for (int64_t i = 0; i < count_; ++i) {
        const float f = static_cast<float>(LoadAsDouble(from_, in, i));
        o[i] = to_ == DataType::kFloat16 ? FloatToHalf(f) : FloatToBFloat16(f);
      }
      return Status::Ok();
    }
    DispatchAll(to_, [&](auto tag) {
      using T = decltype(tag);
      T* o = static_cast<T*>(out);
      if (int_to_int && std::is_integral<T>::value) {  // keep 64-bit integers exact
        for (int64_t i = 0; i < count_; ++i) {
          o[i] = from_ == DataType::kInt64 ? static_cast<T>(static_cast<const int64_t*>(in)[i])
                                           : static_cast<T>(static_cast<const uint64_t*>(in)[i]);
        }
        return;
      }
      for (int64_t i = 0; i < count_; ++i) o[i] = SaturatingCast<T>(LoadAsDouble(from_, in, i));
    });
    return Status::Ok();
  }

 private:
  DataType from_ = DataType::kFloat32, to_ = DataType::kFloat32;
  int64_t count_ = 0;
};

class WhereKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(3, 3));
    if (ctx->input_dtype(0) != DataType::kBool) return ctx->Error("condition must be bool");
    if (ctx->input_dtype(1) != ctx->input_dtype(2)) return ctx->Error("X and Y types differ");
    Shape xy;
    Status s = BroadcastShapes(ctx->input_shape(1), ctx->input_shape(2), &xy);
    if (s.ok()) s = BroadcastShapes(ctx->input_shape(0), xy, &out_);
    if (!s.ok()) return ctx->Error("%s", s.message());
    for (int i = 0; i < 3; ++i) strides_[i] = BroadcastStrides(ctx->input_shape(i), out_);
    elem_ = DataTypeSize(ctx->input_dtype(1));
    ctx->SetOutput(0, ctx->input_dtype(1), out_);
    return Status::Ok();
  }

  Status Run(RunContext* ctx) override {
    const bool* cond = ctx->inputs[0].as<bool>();
    const uint8_t* x = static_cast<const uint8_t*>(ctx->inputs[1].data);
    const uint8_t* y = static_cast<const uint8_t*>(ctx->inputs[2].data);
    uint8_t* out = static_cast<uint8_t*>(ctx->outputs[0].data);
    const size_t rank = out_.size();
    std::vector<int64_t> idx(rank, 0);
    const int64_t total = NumElements(out_);
    for (int64_t o = 0; o < total; ++o) {
      int64_t off[3] = {0, 0, 0};
      for (size_t d = 0; d < rank; ++d) {
        for (int k = 0; k < 3; ++k) off[k] += idx[d] * strides_[k][d];
      }
      std::memcpy(out + o * elem_, cond[off[0]] ? x + off[1] * elem_ : y + off[2] * elem_, elem_);
      for (int d = static_cast<int>(rank) - 1; d >= 0; --d) {
        if (++idx[d] < out_[d]) break;
        idx[d] = 0;
      }
    }
    return Status::Ok();
  }

 private:
  Shape out_;
  std::vector<int64_t> strides_[3];
  size_t elem_ = 4;
};

class ClipKernel : public OpKernel {
 public:
  Status Prepare(PrepareContext* ctx) override {
    TV_RETURN_IF_ERROR(ctx->CheckArity(1, 3));
    dtype_ = ctx->input_dtype(0);
    if (!DispatchNumeric(dtype_, [](auto) {}))
      return ctx->Error("type %s is not supported", DataTypeName(dtype_));
    for (int i = 1; i < 3; ++i) {
      if (ctx->has_input(i) &&
          (ctx->input_dtype(i) != dtype_ || NumElements(ctx->input_shape(i)) != 1)) {
        return ctx->Error("input %d must be a scalar of the input's type", i);
      }
    }
    attr_min_ = ctx->attrs().GetFloat("min", -std::numeric_limits<float>::infinity());
    attr_max_ = ctx->attrs().GetFloat("max", std::numeric_limits<float>::infinity());
    legacy_ = ctx->opset() < 11;
    count_ = NumElements(ctx->input_shape(0));
    // Bounds known now make this fusable into the producer (see AsPostOp).
    known_bounds_ = dtype_ == DataType::kFloat32;
    fused_lo_ = legacy_ ? attr_min_ : std::numeric_limits<float>::lowest();  // as Run() does
    fused_hi_ = legacy_ ? attr_max_ : std::numeric_limits<float>::max();
    for (int i = 1; i < 3 && known_bounds_ && !legacy_; ++i) {
      if (!ctx->has_input(i)) continue;
      const void* v = ctx->input_value_if_known(i);
      if (!v) {
        known_bounds_ = false;
      } else {
        (i == 1 ? fused_lo_ : fused_hi_) = *static_cast<const float*>(v);
      }
    }
    ctx->SetOutput(0, dtype_, ctx->input_shape(0));
    return Status::Ok();
  }

  bool AsPostOp(PostOp* op) const override {
    if (!known_bounds_) return false;
    op->kind = PostOp::Kind::kClamp;
    op->lo = fused_lo_;
    op->hi = fused_hi_;
    return true;
  }

  Status Run(RunContext* ctx) override {
    DispatchNumeric(dtype_, [&](auto tag) {
      using T = decltype(tag);
      T lo = std::numeric_limits<T>::lowest(), hi = std::numeric_limits<T>::max();
      if (legacy_) {
        lo = static_cast<T>(attr_min_);
        hi = static_cast<T>(attr_max_);
      } else {
        if (ctx->inputs.size() > 1 && ctx->inputs[1].data) lo = *ctx->inputs[1].as<T>();
        if (ctx->inputs.size() > 2 && ctx->inputs[2].data) hi = *ctx->inputs[2].as<T>();
      }
      const T* x = ctx->inputs[0].as<T>();
      T* y = ctx->outputs[0].as<T>();
      for (int64_t i = 0; i < count_; ++i) {
        const T v = x[i] < lo ? lo : x[i];
        y[i] = v > hi ? hi : v;  // numpy.clip order: min first, then max
      }
    });
    return Status::Ok();
  }

 private:
  DataType dtype_ = DataType::kFloat32;
  float attr_min_ = 0.0f, attr_max_ = 0.0f;
  bool legacy_ = false;
  int64_t count_ = 0;
  bool known_bounds_ = false;
  float fused_lo_ = 0.0f, fused_hi_ = 0.0f;
};

}  // namespace

void RegisterCastWhereClipOps(KernelRegistry* r) {
  r->Add("Cast", &MakeKernel<CastKernel>);
  r->Add("Where", &MakeKernel<WhereKernel>);
  r->Add("Clip", &MakeKernel<ClipKernel>);
}

}  // namespace ref
}  // namespace tv
