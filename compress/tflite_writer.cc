#include "compress/tflite_writer.h"

#include <map>
#include <memory>

#include "emulator/schema/tflite_subset_generated.h"

namespace tv {
namespace compress {

const char* OpCodeName(OpCode code) {
  switch (code) {
    case OpCode::kAdd:
      return "ADD";
    case OpCode::kAveragePool2D:
      return "AVERAGE_POOL_2D";
    case OpCode::kConcatenation:
      return "CONCATENATION";
    case OpCode::kConv2D:
      return "CONV_2D";
    case OpCode::kDepthwiseConv2D:
      return "DEPTHWISE_CONV_2D";
    case OpCode::kFullyConnected:
      return "FULLY_CONNECTED";
    case OpCode::kLogistic:
      return "LOGISTIC";
    case OpCode::kMaxPool2D:
      return "MAX_POOL_2D";
    case OpCode::kMul:
      return "MUL";
    case OpCode::kRelu:
      return "RELU";
    case OpCode::kRelu6:
      return "RELU6";
    case OpCode::kReshape:
      return "RESHAPE";
    case OpCode::kSoftmax:
      return "SOFTMAX";
    case OpCode::kPad:
      return "PAD";
    case OpCode::kTranspose:
      return "TRANSPOSE";
  }
  return "?";
}

int32_t Int8OpVersion(OpCode code) {
  switch (code) {
    case OpCode::kConv2D:
    case OpCode::kDepthwiseConv2D:
      return 3;
    case OpCode::kFullyConnected:
      return 4;
    case OpCode::kReshape:
      return 1;
    default:
      return 2;  // int8 variant of pooling, elementwise, softmax, pad, transpose, ...
  }
}

namespace {

tflite::ActivationFunctionType Act(Activation a) {
  return static_cast<tflite::ActivationFunctionType>(static_cast<int8_t>(a));
}

tflite::Padding Pad(bool same) { return same ? tflite::Padding::SAME : tflite::Padding::VALID; }

// Conv, depthwise conv and pooling tables share padding, strides and the fused activation.
template <typename Options>
Options WindowOptions(const LOp& op) {
  Options c;
  c.padding = Pad(op.same_padding);
  c.stride_w = op.stride_w;
  c.stride_h = op.stride_h;
  c.fused_activation_function = Act(op.activation);
  return c;
}

template <typename Options>
Options DilatedWindowOptions(const LOp& op) {
  Options c = WindowOptions<Options>(op);
  c.dilation_w_factor = op.dilation_w;
  c.dilation_h_factor = op.dilation_h;
  return c;
}

template <typename Options>
Options ActivationOptions(const LOp& op) {
  Options c;
  c.fused_activation_function = Act(op.activation);
  return c;
}

void SetOptions(const LOp& op, tflite::OperatorT* o) {
  switch (op.code) {
    case OpCode::kConv2D:
      o->builtin_options.Set(DilatedWindowOptions<tflite::Conv2DOptionsT>(op));
      break;
    case OpCode::kDepthwiseConv2D: {
      auto c = DilatedWindowOptions<tflite::DepthwiseConv2DOptionsT>(op);
      c.depth_multiplier = op.depth_multiplier;
      o->builtin_options.Set(std::move(c));
      break;
    }
    case OpCode::kMaxPool2D:
    case OpCode::kAveragePool2D: {
      auto c = WindowOptions<tflite::Pool2DOptionsT>(op);
      c.filter_width = op.filter_w;
      c.filter_height = op.filter_h;
      o->builtin_options.Set(std::move(c));
      break;
    }
    case OpCode::kFullyConnected:
      o->builtin_options.Set(ActivationOptions<tflite::FullyConnectedOptionsT>(op));
      break;
    case OpCode::kAdd:
      o->builtin_options.Set(ActivationOptions<tflite::AddOptionsT>(op));
      break;
    case OpCode::kMul:
      o->builtin_options.Set(ActivationOptions<tflite::MulOptionsT>(op));
      break;
    case OpCode::kConcatenation: {
      auto c = ActivationOptions<tflite::ConcatenationOptionsT>(op);
      c.axis = op.axis;
      o->builtin_options.Set(std::move(c));
      break;
    }
    case OpCode::kSoftmax: {
      tflite::SoftmaxOptionsT c;
      c.beta = 1.0f;
      o->builtin_options.Set(std::move(c));
      break;
    }
    case OpCode::kReshape: {
      tflite::ReshapeOptionsT c;
      c.new_shape = op.new_shape;
      o->builtin_options.Set(std::move(c));
      break;
    }
    case OpCode::kPad:
      o->builtin_options.Set(tflite::PadOptionsT());
      break;
    case OpCode::kTranspose:
      o->builtin_options.Set(tflite::TransposeOptionsT());
      break;
    default:
      break;  // LOGISTIC, RELU, RELU6 have no options table
  }
}

}  // namespace

Status WriteTflite(const LoweredGraph& g, const std::string& description, std::string* out) {
  tflite::ModelT model;
  model.version = 3;
  model.description = description;
  model.buffers.push_back(std::make_unique<tflite::BufferT>());  // buffer 0: empty sentinel
  auto sub = std::make_unique<tflite::SubGraphT>();
  sub->name = "main";
  // Only tensors that ops reference are written (lowering may leave unused ones).
  std::vector<int32_t> remap(g.tensors.size(), -1);
  auto use = [&](int32_t t) -> int32_t {
    if (t < 0) return -1;
    int32_t& r = remap[static_cast<size_t>(t)];
    if (r >= 0) return r;
    const LTensor& src = g.tensors[static_cast<size_t>(t)];
    auto tensor = std::make_unique<tflite::TensorT>();
    tensor->name = src.name;
    tensor->shape = src.shape;
    tensor->type = static_cast<tflite::TensorType>(static_cast<int8_t>(src.type));
    if (!src.data.empty()) {
      auto buf = std::make_unique<tflite::BufferT>();
      buf->data = src.data;
      tensor->buffer = static_cast<uint32_t>(model.buffers.size());
      model.buffers.push_back(std::move(buf));
    }
    if (!src.scales.empty()) {
      auto q = std::make_unique<tflite::QuantizationParametersT>();
      q->scale = src.scales;
      q->zero_point = src.zero_points;
      q->quantized_dimension = src.scales.size() > 1 ? src.quantized_dimension : 0;
      tensor->quantization = std::move(q);
    }
    r = static_cast<int32_t>(sub->tensors.size());
    sub->tensors.push_back(std::move(tensor));
    return r;
  };
  for (int32_t t : g.inputs) sub->inputs.push_back(use(t));
  std::map<OpCode, uint32_t> code_index;
  for (const LOp& op : g.ops) {
    if (!code_index.count(op.code)) {
      code_index[op.code] = static_cast<uint32_t>(model.operator_codes.size());
      auto code = std::make_unique<tflite::OperatorCodeT>();
      code->builtin_code = static_cast<int32_t>(op.code);
      code->deprecated_builtin_code = static_cast<int8_t>(op.code);
      code->version = Int8OpVersion(op.code);
      model.operator_codes.push_back(std::move(code));
    }
    auto o = std::make_unique<tflite::OperatorT>();
    o->opcode_index = code_index[op.code];
    for (int32_t t : op.inputs) o->inputs.push_back(use(t));
    for (int32_t t : op.outputs) o->outputs.push_back(use(t));
    SetOptions(op, o.get());
    sub->operators.push_back(std::move(o));
  }
  for (int32_t t : g.outputs) sub->outputs.push_back(use(t));
  model.subgraphs.push_back(std::move(sub));

  flatbuffers::FlatBufferBuilder fbb(1 << 16);
  tflite::FinishModelBuffer(fbb, tflite::Model::Pack(fbb, &model));
  out->assign(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
  return Status::Ok();
}

}  // namespace compress
}  // namespace tv
