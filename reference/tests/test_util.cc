#include "reference/tests/test_util.h"

#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "reference/onnx_proto.h"
#include "reference/ops/op_util.h"
#include "reference/tensor_proto.h"

namespace tv {
namespace ref {
namespace testing {
namespace {

double ElementAsDouble(const Tensor& t, int64_t i) {
  double v = 0.0;
  if (t.dtype == DataType::kFloat16) return HalfToFloat(t.data<uint16_t>()[i]);
  if (t.dtype == DataType::kBFloat16) return BFloat16ToFloat(t.data<uint16_t>()[i]);
  DispatchAll(t.dtype, [&](auto tag) { v = static_cast<double>(t.data<decltype(tag)>()[i]); });
  return v;
}

bool IsFloatType(DataType t) {
  return t == DataType::kFloat32 || t == DataType::kFloat64 || t == DataType::kFloat16 ||
         t == DataType::kBFloat16;
}

}  // namespace

bool AllClose(const Tensor& actual, const Tensor& expected, double rtol, double atol,
              std::string* why) {
  std::ostringstream msg;
  if (actual.dtype != expected.dtype) {
    msg << "dtype " << DataTypeName(actual.dtype) << " != expected "
        << DataTypeName(expected.dtype);
    *why = msg.str();
    return false;
  }
  if (actual.shape != expected.shape) {
    msg << "shape " << ShapeToString(actual.shape) << " != expected "
        << ShapeToString(expected.shape);
    *why = msg.str();
    return false;
  }
  const int64_t n = expected.NumElements();
  int64_t bad = 0, first = -1;
  for (int64_t i = 0; i < n; ++i) {
    const double a = ElementAsDouble(actual, i), e = ElementAsDouble(expected, i);
    bool ok;
    if (!IsFloatType(expected.dtype)) {
      ok = a == e;
    } else if (std::isnan(a) || std::isnan(e)) {
      ok = std::isnan(a) && std::isnan(e);
    } else if (std::isinf(a) || std::isinf(e)) {
      ok = a == e;
    } else {
      ok = std::fabs(a - e) <= atol + rtol * std::fabs(e);
    }
    if (!ok && bad++ == 0) first = i;
  }
  if (bad == 0) return true;
  msg << bad << " of " << n << " elements differ; first at " << first << ": got "
      << ElementAsDouble(actual, first) << ", expected " << ElementAsDouble(expected, first);
  *why = msg.str();
  return false;
}

Status LoadTestData(const std::string& test_dir, std::vector<Tensor>* inputs,
                    std::vector<Tensor>* outputs) {
  const std::string set = test_dir + "/test_data_set_0";
  for (int i = 0;; ++i) {
    const std::string path = set + "/input_" + std::to_string(i) + ".pb";
    if (!PathExists(path)) break;
    inputs->emplace_back();
    TV_RETURN_IF_ERROR(ParseTensorFile(path, &inputs->back()));
  }
  for (int i = 0;; ++i) {
    const std::string path = set + "/output_" + std::to_string(i) + ".pb";
    if (!PathExists(path)) break;
    outputs->emplace_back();
    TV_RETURN_IF_ERROR(ParseTensorFile(path, &outputs->back()));
  }
  return Status::Ok();
}

std::string RunAndCompare(const std::string& model_path, const std::vector<Tensor>& inputs,
                          const std::vector<Tensor>& expected, double rtol, double atol) {
  std::unique_ptr<OnnxModel> model;
  Status s = OnnxModel::Load(model_path, &model);
  if (!s.ok()) return std::string("load: ") + s.message();
  // ONNX 1.12's generator stored bfloat16 test tensors as uint16 bit patterns.
  std::vector<Tensor> fed = inputs;
  for (size_t i = 0; i < fed.size() && i < model->inputs().size(); ++i) {
    if (fed[i].dtype == DataType::kUInt16 && model->inputs()[i].dtype == DataType::kBFloat16) {
      fed[i].dtype = DataType::kBFloat16;
    }
  }
  std::vector<Tensor> actual;
  s = model->Run(fed, &actual);
  if (!s.ok()) return std::string("run: ") + s.message();
  if (actual.size() < expected.size()) return "fewer outputs than expected";
  for (size_t i = 0; i < expected.size(); ++i) {
    std::string why;
    Tensor want = expected[i];
    if (want.dtype == DataType::kUInt16 && actual[i].dtype == DataType::kBFloat16) {
      want.dtype = DataType::kBFloat16;
    }
    if (!AllClose(actual[i], want, rtol, atol, &why)) {
      return "output " + std::to_string(i) + ": " + why;
    }
  }
  return "";
}

Status ModelOps(const std::string& model_path, std::vector<std::string>* ops) {
  std::ifstream file(model_path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  onnx::ModelProto model;
  if (!model.ParseFromArray(data.data(), static_cast<int>(data.size()))) {
    return Status::Error("cannot parse %s", model_path.c_str());
  }
  for (const auto& node : model.graph().node()) {
    const std::string domain = node.domain().empty() ? "ai.onnx" : node.domain();
    const std::string op = domain == "ai.onnx" ? node.op_type() : domain + ":" + node.op_type();
    if (std::find(ops->begin(), ops->end(), op) == ops->end()) ops->push_back(op);
  }
  return Status::Ok();
}

std::vector<std::string> ListDirs(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = opendir(dir.c_str());
  if (!d) return names;
  while (dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    if (stat((dir + "/" + name).c_str(), &st) == 0 && S_ISDIR(st.st_mode)) names.push_back(name);
  }
  closedir(d);
  std::sort(names.begin(), names.end());
  return names;
}

bool PathExists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

Status ReadNpzFloatArray(const std::string& path, const std::string& name,
                         std::vector<float>* out) {
  std::ifstream file(path, std::ios::binary);
  std::string zip((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  auto u16 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(zip[at]) | static_cast<uint8_t>(zip[at + 1])
                                                                     << 8);
  };
  auto u32 = [&](size_t at) { return u16(at) | u16(at + 2) << 16; };
  size_t pos = 0;
  // Walk local file headers (numpy.savez stores entries uncompressed with sizes filled in).
  while (pos + 30 <= zip.size() && u32(pos) == 0x04034b50) {
    const uint32_t method = u16(pos + 8), size = u32(pos + 18);
    const uint32_t name_len = u16(pos + 26), extra_len = u16(pos + 28);
    const std::string entry = zip.substr(pos + 30, name_len);
    const size_t data = pos + 30 + name_len + extra_len;
    if (data + size > zip.size()) break;
    if (entry == name + ".npy") {
      if (method != 0)
        return Status::Error("%s: entry %s is compressed", path.c_str(), entry.c_str());
      const std::string npy = zip.substr(data, size);
      if (npy.size() < 10 || npy.compare(1, 5, "NUMPY") != 0)
        return Status::Error("bad npy header");
      const size_t header_len = u16(data + 8);
      if (npy.find("'<f4'") == std::string::npos)
        return Status::Error("%s is not float32", entry.c_str());
      const size_t payload = 10 + header_len;
      out->resize((npy.size() - payload) / 4);
      std::memcpy(out->data(), npy.data() + payload, out->size() * 4);
      return Status::Ok();
    }
    pos = data + size;
  }
  return Status::Error("%s: no entry %s.npy", path.c_str(), name.c_str());
}

std::string SharedDir() {
  if (const char* env = std::getenv("TV_SHARED_DIR")) return env;
  if (const char* src = std::getenv("TV_SOURCE_DIR")) return std::string(src) + "/../shared";
  return "../shared";
}

}  // namespace testing
}  // namespace ref
}  // namespace tv
