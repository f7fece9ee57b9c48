#include "tests/support/model_builder.h"

namespace tv {
namespace testing {

namespace {
std::unique_ptr<tflite::QuantizationParametersT> MakeQuant(const QuantSpec& q) {
  if (q.scales.empty()) return nullptr;
  auto p = std::make_unique<tflite::QuantizationParametersT>();
  p->scale = q.scales;
  p->zero_point = q.zero_points;
  p->quantized_dimension = q.axis;
  return p;
}
}  // namespace

ModelBuilder::ModelBuilder() {
  model_.version = 3;
  model_.buffers.push_back(std::make_unique<tflite::BufferT>());  // empty sentinel
  model_.subgraphs.push_back(std::make_unique<tflite::SubGraphT>());
}

int32_t ModelBuilder::AddTensor(DataType type, const std::vector<int32_t>& shape,
                                const QuantSpec& q, const std::string& name) {
  auto t = std::make_unique<tflite::TensorT>();
  t->shape = shape;
  t->type = static_cast<tflite::TensorType>(type);
  t->buffer = 0;
  t->quantization = MakeQuant(q);
  const int32_t index = static_cast<int32_t>(subgraph().tensors.size());
  t->name = name.empty() ? "t" + std::to_string(index) : name;
  subgraph().tensors.push_back(std::move(t));
  return index;
}

int32_t ModelBuilder::AddConstTensor(DataType type, const std::vector<int32_t>& shape,
                                     const void* data, size_t bytes, const QuantSpec& q,
                                     const std::string& name) {
  const int32_t index = AddTensor(type, shape, q, name);
  auto buf = std::make_unique<tflite::BufferT>();
  const uint8_t* p = static_cast<const uint8_t*>(data);
  buf->data.assign(p, p + bytes);
  subgraph().tensors[index]->buffer = static_cast<uint32_t>(model_.buffers.size());
  model_.buffers.push_back(std::move(buf));
  return index;
}

int32_t ModelBuilder::AddVariableTensor(DataType type, const std::vector<int32_t>& shape,
                                        const QuantSpec& q) {
  const int32_t index = AddTensor(type, shape, q);
  subgraph().tensors[index]->is_variable = true;
  return index;
}

void ModelBuilder::AddOperator(int32_t op_code, const std::vector<int32_t>& inputs,
                               const std::vector<int32_t>& outputs,
                               tflite::BuiltinOptionsUnion options, int32_t version,
                               const std::string& custom_code) {
  uint32_t opcode_index = 0;
  for (; opcode_index < model_.operator_codes.size(); ++opcode_index) {
    const auto& oc = model_.operator_codes[opcode_index];
    if (oc->builtin_code == op_code && oc->version == version && oc->custom_code == custom_code)
      break;
  }
  if (opcode_index == model_.operator_codes.size()) {
    auto oc = std::make_unique<tflite::OperatorCodeT>();
    oc->builtin_code = op_code;
    oc->deprecated_builtin_code = static_cast<int8_t>(op_code < 127 ? op_code : 127);
    oc->version = version;
    oc->custom_code = custom_code;
    model_.operator_codes.push_back(std::move(oc));
  }
  auto o = std::make_unique<tflite::OperatorT>();
  o->opcode_index = opcode_index;
  o->inputs = inputs;
  o->outputs = outputs;
  o->builtin_options = std::move(options);
  subgraph().operators.push_back(std::move(o));
}

void ModelBuilder::SetGraphIO(const std::vector<int32_t>& inputs,
                              const std::vector<int32_t>& outputs) {
  subgraph().inputs = inputs;
  subgraph().outputs = outputs;
}

std::vector<uint8_t> ModelBuilder::Build() const {
  flatbuffers::FlatBufferBuilder fbb;
  fbb.Finish(tflite::Model::Pack(fbb, &model_), tflite::ModelIdentifier());
  return std::vector<uint8_t>(fbb.GetBufferPointer(), fbb.GetBufferPointer() + fbb.GetSize());
}

Status LoadedModel::Load(const std::vector<uint8_t>& bytes, KernelFlavor flavor,
                         OptimizedKernelLookup optimized) {
  storage_.reset(new uint8_t[bytes.size() + 16]);
  uint8_t* aligned = reinterpret_cast<uint8_t*>(
      (reinterpret_cast<uintptr_t>(storage_.get()) + 15) & ~uintptr_t{15});
  if (!bytes.empty()) std::memcpy(aligned, bytes.data(), bytes.size());
  TV_RETURN_IF_ERROR(model_.Load(aligned, bytes.size()));
  InterpreterOptions opts;
  opts.flavor = flavor;
  opts.optimized_kernels = optimized;
  return interpreter_.Init(model_, opts);
}

}  // namespace testing
}  // namespace tv
