#include "reference/kernel.h"

#include <cstdarg>
#include <cstdio>

namespace tv {
namespace ref {
namespace {

Status NodeError(const NodeInfo& node, const char* fmt, va_list args) {
  char message[256];
  std::vsnprintf(message, sizeof(message), fmt, args);
  return Status::Error("node '%s' (op %s): %s", node.name.c_str(), node.op_type.c_str(), message);
}

template <typename T>
void AppendAsInt64(const void* data, int64_t n, std::vector<int64_t>* out) {
  const T* p = static_cast<const T*>(data);
  for (int64_t i = 0; i < n; ++i) out->push_back(static_cast<int64_t>(p[i]));
}

}  // namespace

PrepareContext::PrepareContext(const NodeInfo* node, std::vector<Input> inputs,
                               std::vector<bool> outputs)
    : node_(node), inputs_(std::move(inputs)), outputs_(outputs.size()) {
  for (size_t i = 0; i < outputs.size(); ++i) outputs_[i].present = outputs[i];
}

const void* PrepareContext::input_value(int i) {
  if (!has_input(i)) return nullptr;
  if (!inputs_[i].value) {
    needed_unknown_value_ = true;
    return nullptr;
  }
  values_read_.push_back(i);
  return inputs_[i].value;
}

const void* PrepareContext::input_value_if_known(int i) {
  if (!has_input(i) || !inputs_[i].value) return nullptr;
  values_read_.push_back(i);
  return inputs_[i].value;
}

Status PrepareContext::InputAsInts(int i, std::vector<int64_t>* out) {
  out->clear();
  const void* data = input_value(i);
  if (!data) {
    return Error(
        "input %d must be a constant or computable from shapes (data-dependent "
        "shapes are not supported)",
        i);
  }
  const int64_t n = NumElements(inputs_[i].shape);
  switch (inputs_[i].dtype) {
    case DataType::kInt64:
      AppendAsInt64<int64_t>(data, n, out);
      break;
    case DataType::kInt32:
      AppendAsInt64<int32_t>(data, n, out);
      break;
    case DataType::kInt16:
      AppendAsInt64<int16_t>(data, n, out);
      break;
    case DataType::kInt8:
      AppendAsInt64<int8_t>(data, n, out);
      break;
    case DataType::kUInt8:
      AppendAsInt64<uint8_t>(data, n, out);
      break;
    default:
      return Error("input %d must be an integer tensor, got %s", i, DataTypeName(inputs_[i].dtype));
  }
  return Status::Ok();
}

Status PrepareContext::InputAsFloat(int i, float* out) {
  const void* data = input_value(i);
  if (!data) return Error("input %d must be a constant", i);
  if (NumElements(inputs_[i].shape) < 1) return Error("input %d is empty", i);
  switch (inputs_[i].dtype) {
    case DataType::kFloat32:
      *out = *static_cast<const float*>(data);
      break;
    case DataType::kFloat64:
      *out = static_cast<float>(*static_cast<const double*>(data));
      break;
    default:
      return Error("input %d must be a float scalar", i);
  }
  return Status::Ok();
}

void PrepareContext::SetOutput(int i, DataType dtype, Shape shape) {
  if (i >= num_outputs()) return;
  outputs_[i].set = true;
  outputs_[i].dtype = dtype;
  outputs_[i].shape = std::move(shape);
}

Status PrepareContext::CheckArity(int min_inputs, int max_inputs) const {
  int last_present = -1;
  for (int i = 0; i < num_inputs(); ++i)
    if (inputs_[i].present) last_present = i;
  if (last_present + 1 > max_inputs) {
    return Error("takes at most %d inputs, got %d", max_inputs, last_present + 1);
  }
  for (int i = 0; i < min_inputs; ++i) {
    if (!has_input(i)) return Error("required input %d is missing", i);
  }
  return Status::Ok();
}

Status PrepareContext::Error(const char* fmt, ...) const {
  va_list args;
  va_start(args, fmt);
  Status s = NodeError(*node_, fmt, args);
  va_end(args);
  return s;
}

Status OpKernel::Error(const char* fmt, ...) const {
  va_list args;
  va_start(args, fmt);
  Status s = NodeError(*node_, fmt, args);
  va_end(args);
  return s;
}

}  // namespace ref
}  // namespace tv
