#include "reference/ops/quant_util.h"

#include <limits>

#include "reference/ops/op_util.h"

namespace tv {
namespace ref {
namespace {

template <typename T>
void Store(double v, void* out, int64_t i) {
  const double lo = static_cast<double>(std::numeric_limits<T>::lowest());
  const double hi = static_cast<double>(std::numeric_limits<T>::max());
  double r = std::nearbyint(v);
  if (std::isnan(r)) r = 0.0;
  r = r < lo ? lo : (r > hi ? hi : r);
  static_cast<T*>(out)[i] = static_cast<T>(r);
}

}  // namespace

std::vector<int32_t> WidenToInt32(DataType dtype, const void* data, int64_t count) {
  std::vector<int32_t> out(static_cast<size_t>(count));
  DispatchNumeric(dtype, [&](auto tag) {
    using T = decltype(tag);
    for (int64_t i = 0; i < count; ++i)
      out[i] = static_cast<int32_t>(static_cast<const T*>(data)[i]);
  });
  return out;
}

std::vector<float> ReadScales(DataType dtype, const void* data, int64_t count) {
  std::vector<float> out(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    if (dtype == DataType::kFloat16)
      out[i] = HalfToFloat(static_cast<const uint16_t*>(data)[i]);
    else if (dtype == DataType::kBFloat16)
      out[i] = BFloat16ToFloat(static_cast<const uint16_t*>(data)[i]);
    else
      out[i] = static_cast<const float*>(data)[i];
  }
  return out;
}

bool IsQuantType(DataType t) {
  return t == DataType::kInt8 || t == DataType::kUInt8 || t == DataType::kInt16 ||
         t == DataType::kUInt16 || t == DataType::kInt32;
}

Status CheckQuantParam(const PrepareContext& ctx, int slot, bool is_scale, int64_t per_channel) {
  if (!ctx.has_input(slot)) return Status::Ok();
  const DataType t = ctx.input_dtype(slot);
  const bool type_ok =
      is_scale ? (t == DataType::kFloat32 || t == DataType::kFloat16 || t == DataType::kBFloat16)
               : IsQuantType(t);
  if (!type_ok) return ctx.Error("input %d has unsupported type %s", slot, DataTypeName(t));
  const int64_t n = NumElements(ctx.input_shape(slot));
  if (n != 1 && n != per_channel) {
    return ctx.Error("input %d must hold 1 or %lld values, holds %lld", slot,
                     static_cast<long long>(per_channel), static_cast<long long>(n));
  }
  return Status::Ok();
}

void StoreQuantized(DataType dtype, double value, void* out, int64_t i) {
  switch (dtype) {
    case DataType::kInt8:
      Store<int8_t>(value, out, i);
      break;
    case DataType::kUInt8:
      Store<uint8_t>(value, out, i);
      break;
    case DataType::kInt16:
      Store<int16_t>(value, out, i);
      break;
    case DataType::kUInt16:
      Store<uint16_t>(value, out, i);
      break;
    case DataType::kInt32:
      Store<int32_t>(value, out, i);
      break;
    default:
      break;
  }
}

}  // namespace ref
}  // namespace tv
