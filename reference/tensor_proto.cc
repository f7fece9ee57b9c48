#include "reference/tensor_proto.h"

#include <cstring>
#include <fstream>
#include <limits>

namespace tv {
namespace ref {
namespace {

// onnx.TensorProto.DataType numbering (stable across ONNX releases).
enum OnnxType : int32_t {
  kOnnxFloat = 1,
  kOnnxUInt8 = 2,
  kOnnxInt8 = 3,
  kOnnxUInt16 = 4,
  kOnnxInt16 = 5,
  kOnnxInt32 = 6,
  kOnnxInt64 = 7,
  kOnnxString = 8,
  kOnnxBool = 9,
  kOnnxFloat16 = 10,
  kOnnxDouble = 11,
  kOnnxUInt32 = 12,
  kOnnxUInt64 = 13,
  kOnnxComplex64 = 14,
  kOnnxComplex128 = 15,
  kOnnxBFloat16 = 16,
};

// Rejects absolute paths and ".." components: external data must stay beside the model.
bool IsSafeRelativePath(const std::string& p) {
  if (p.empty() || p[0] == '/' || p[0] == '\\') return false;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find_first_of("/\\", start);
    if (end == std::string::npos) end = p.size();
    if (p.compare(start, end - start, "..") == 0 && end - start == 2) return false;
    start = end + 1;
  }
  return true;
}

Status ReadExternal(const onnx::TensorProto& proto, const std::string& base_dir,
                    int64_t expected_bytes, std::vector<uint8_t>* bytes) {
  const char* name = proto.name().c_str();
  std::string location;
  int64_t offset = 0;
  int64_t length = -1;
  for (const auto& kv : proto.external_data()) {
    char* end = nullptr;
    if (kv.key() == "location") {
      location = kv.value();
    } else if (kv.key() == "offset") {
      offset = std::strtoll(kv.value().c_str(), &end, 10);
      if (end == kv.value().c_str() || *end || offset < 0)
        return Status::Error("tensor '%s': bad external-data offset '%s'", name,
                             kv.value().c_str());
    } else if (kv.key() == "length") {
      length = std::strtoll(kv.value().c_str(), &end, 10);
      if (end == kv.value().c_str() || *end || length < 0)
        return Status::Error("tensor '%s': bad external-data length '%s'", name,
                             kv.value().c_str());
    }
  }
  if (!IsSafeRelativePath(location)) {
    return Status::Error(
        "tensor '%s': external-data location '%s' must be a relative path "
        "inside the model's directory",
        name, location.c_str());
  }
  if (length >= 0 && length != expected_bytes) {
    return Status::Error(
        "tensor '%s': external-data length %lld does not match the %lld bytes "
        "its shape needs",
        name, static_cast<long long>(length), static_cast<long long>(expected_bytes));
  }
  const std::string path = base_dir.empty() ? location : base_dir + "/" + location;
  std::ifstream file(path, std::ios::binary | std::ios::ate);
  if (!file) {
    return Status::Error("tensor '%s': external-data file '%s' cannot be opened", name,
                         path.c_str());
  }
  const int64_t file_size = static_cast<int64_t>(file.tellg());
  if (offset > file_size || file_size - offset < expected_bytes) {
    return Status::Error(
        "tensor '%s': external-data file '%s' has %lld bytes, needs %lld at "
        "offset %lld",
        name, path.c_str(), static_cast<long long>(file_size),
        static_cast<long long>(expected_bytes), static_cast<long long>(offset));
  }
  bytes->resize(static_cast<size_t>(expected_bytes));
  file.seekg(offset);
  if (!file.read(reinterpret_cast<char*>(bytes->data()), expected_bytes)) {
    return Status::Error("tensor '%s': reading external-data file '%s' failed", name, path.c_str());
  }
  return Status::Ok();
}

template <typename Dst, typename Field>
Status CopyTyped(const Field& field, int64_t count, const char* name, const char* field_name,
                 std::vector<uint8_t>* bytes) {
  if (static_cast<int64_t>(field.size()) != count) {
    return Status::Error("tensor '%s': %s holds %d values, shape needs %lld", name, field_name,
                         field.size(), static_cast<long long>(count));
  }
  bytes->resize(static_cast<size_t>(count) * sizeof(Dst));
  Dst* dst = reinterpret_cast<Dst*>(bytes->data());
  for (int64_t i = 0; i < count; ++i) dst[i] = static_cast<Dst>(field.Get(static_cast<int>(i)));
  return Status::Ok();
}

}  // namespace

bool DataTypeFromOnnx(int32_t t, DataType* out) {
  switch (t) {
    case kOnnxFloat:
      *out = DataType::kFloat32;
      return true;
    case kOnnxUInt8:
      *out = DataType::kUInt8;
      return true;
    case kOnnxInt8:
      *out = DataType::kInt8;
      return true;
    case kOnnxUInt16:
      *out = DataType::kUInt16;
      return true;
    case kOnnxInt16:
      *out = DataType::kInt16;
      return true;
    case kOnnxInt32:
      *out = DataType::kInt32;
      return true;
    case kOnnxInt64:
      *out = DataType::kInt64;
      return true;
    case kOnnxBool:
      *out = DataType::kBool;
      return true;
    case kOnnxFloat16:
      *out = DataType::kFloat16;
      return true;
    case kOnnxDouble:
      *out = DataType::kFloat64;
      return true;
    case kOnnxUInt32:
      *out = DataType::kUInt32;
      return true;
    case kOnnxUInt64:
      *out = DataType::kUInt64;
      return true;
    case kOnnxBFloat16:
      *out = DataType::kBFloat16;
      return true;
    default:
      return false;
  }
}

const char* OnnxTypeName(int32_t t) {
  static const char* const kNames[] = {"UNDEFINED",  "FLOAT",   "UINT8",  "INT8",   "UINT16",
                                       "INT16",      "INT32",   "INT64",  "STRING", "BOOL",
                                       "FLOAT16",    "DOUBLE",  "UINT32", "UINT64", "COMPLEX64",
                                       "COMPLEX128", "BFLOAT16"};
  if (t >= 0 && t < static_cast<int32_t>(sizeof(kNames) / sizeof(kNames[0]))) return kNames[t];
  return "UNKNOWN";
}

Status DecodeTensorProto(const onnx::TensorProto& proto, const std::string& base_dir,
                         int64_t max_bytes, Tensor* out) {
  const char* name = proto.name().c_str();
  DataType dtype;
  if (!DataTypeFromOnnx(proto.data_type(), &dtype)) {
    return Status::Error("tensor '%s': element type %s is not supported", name,
                         OnnxTypeName(proto.data_type()));
  }
  if (proto.has_segment())
    return Status::Error("tensor '%s': segmented tensors are not supported", name);
  out->dtype = dtype;
  out->shape.assign(proto.dims().begin(), proto.dims().end());
  const int64_t elem = static_cast<int64_t>(DataTypeSize(dtype));
  int64_t count = 1;
  for (int64_t d : out->shape) {
    if (d < 0)
      return Status::Error("tensor '%s': negative dimension %lld", name, static_cast<long long>(d));
    if (d != 0 && count > max_bytes / elem / d) {
      return Status::Error("tensor '%s': shape %s exceeds the %lld-byte tensor limit", name,
                           ShapeToString(out->shape).c_str(), static_cast<long long>(max_bytes));
    }
    count *= d;
  }
  const int64_t nbytes = count * elem;
  std::vector<uint8_t>& bytes = out->bytes;
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    return ReadExternal(proto, base_dir, nbytes, &bytes);
  }
  if (proto.has_raw_data()) {
    if (static_cast<int64_t>(proto.raw_data().size()) != nbytes) {
      return Status::Error("tensor '%s': raw_data has %zu bytes, shape %s of %s needs %lld", name,
                           proto.raw_data().size(), ShapeToString(out->shape).c_str(),
                           DataTypeName(dtype), static_cast<long long>(nbytes));
    }
    bytes.assign(proto.raw_data().begin(), proto.raw_data().end());
    return Status::Ok();
  }
  switch (dtype) {
    case DataType::kFloat32:
      return CopyTyped<float>(proto.float_data(), count, name, "float_data", &bytes);
    case DataType::kFloat64:
      return CopyTyped<double>(proto.double_data(), count, name, "double_data", &bytes);
    case DataType::kInt64:
      return CopyTyped<int64_t>(proto.int64_data(), count, name, "int64_data", &bytes);
    case DataType::kInt32:
      return CopyTyped<int32_t>(proto.int32_data(), count, name, "int32_data", &bytes);
    case DataType::kInt16:
      return CopyTyped<int16_t>(proto.int32_data(), count, name, "int32_data", &bytes);
    case DataType::kInt8:
      return CopyTyped<int8_t>(proto.int32_data(), count, name, "int32_data", &bytes);
    case DataType::kUInt16:
    case DataType::kFloat16:
    case DataType::kBFloat16:
      return CopyTyped<uint16_t>(proto.int32_data(), count, name, "int32_data", &bytes);
    case DataType::kUInt8:
    case DataType::kBool:
      return CopyTyped<uint8_t>(proto.int32_data(), count, name, "int32_data", &bytes);
    case DataType::kUInt32:
      return CopyTyped<uint32_t>(proto.uint64_data(), count, name, "uint64_data", &bytes);
    case DataType::kUInt64:
      return CopyTyped<uint64_t>(proto.uint64_data(), count, name, "uint64_data", &bytes);
    default:
      break;
  }
  return Status::Error("tensor '%s': element type %s has no inline encoding", name,
                       DataTypeName(dtype));
}

Status ParseTensorFile(const std::string& path, Tensor* out, std::string* name) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::Error("cannot open '%s'", path.c_str());
  std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  onnx::TensorProto proto;
  if (!proto.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return Status::Error("'%s' is not a serialized onnx.TensorProto", path.c_str());
  }
  if (name) *name = proto.name();
  const size_t slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash);
  return DecodeTensorProto(proto, dir, std::numeric_limits<int64_t>::max() / 2, out);
}

}  // namespace ref
}  // namespace tv
