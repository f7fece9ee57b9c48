#include "compare/dataset.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compare/byte_stream.h"
#include "compare/npy.h"

namespace tv {
namespace verify {

namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

template <typename T>
void Convert(const uint8_t* src, int64_t n, float* dst) {
  for (int64_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, src + i * static_cast<int64_t>(sizeof(T)), sizeof(T));
    dst[i] = static_cast<float>(v);
  }
}

}  // namespace

const std::vector<std::string>& Dataset::class_names() const {
  static const std::vector<std::string> kNone;
  return kNone;
}

Status ConvertToFloat(DataType type, const uint8_t* src, int64_t n, float* dst) {
  switch (type) {
    case DataType::kFloat32:
      if (n > 0) std::memcpy(dst, src, static_cast<size_t>(n) * 4);
      return Status::Ok();
    case DataType::kFloat64:
      Convert<double>(src, n, dst);
      return Status::Ok();
    case DataType::kUInt8:
      Convert<uint8_t>(src, n, dst);
      return Status::Ok();
    case DataType::kInt8:
      Convert<int8_t>(src, n, dst);
      return Status::Ok();
    case DataType::kBool:
      Convert<uint8_t>(src, n, dst);
      return Status::Ok();
    case DataType::kInt16:
      Convert<int16_t>(src, n, dst);
      return Status::Ok();
    case DataType::kUInt16:
      Convert<uint16_t>(src, n, dst);
      return Status::Ok();
    case DataType::kInt32:
      Convert<int32_t>(src, n, dst);
      return Status::Ok();
    case DataType::kUInt32:
      Convert<uint32_t>(src, n, dst);
      return Status::Ok();
    case DataType::kInt64:
      Convert<int64_t>(src, n, dst);
      return Status::Ok();
    case DataType::kUInt64:
      Convert<uint64_t>(src, n, dst);
      return Status::Ok();
    default:
      return Status::Error("samples of dtype %s cannot be used as model input", DataTypeName(type));
  }
}

Status LabelsFromTensor(const HostTensor& t, std::vector<int64_t>* labels,
                        std::vector<std::vector<float>>* targets) {
  labels->clear();
  targets->clear();
  TV_CHECK_OR_RETURN(!t.shape.empty(), "labels must have one row per sample, got a scalar");
  const int64_t n = t.shape[0];
  const int64_t per = n == 0 ? 0 : t.NumElements() / n;
  std::vector<float> values(static_cast<size_t>(t.NumElements()));
  TV_RETURN_IF_ERROR(ConvertToFloat(t.dtype, t.bytes.data(), t.NumElements(), values.data()));
  const bool is_float = t.dtype == DataType::kFloat32 || t.dtype == DataType::kFloat64 ||
                        t.dtype == DataType::kFloat16;
  bool integral = per == 1;
  for (size_t i = 0; integral && i < values.size(); ++i)
    integral = std::isfinite(values[i]) && values[i] == std::floor(values[i]) && values[i] >= 0;
  if (integral && (!is_float || per == 1)) {
    if (t.dtype == DataType::kInt64 || t.dtype == DataType::kUInt64) {
      labels->resize(static_cast<size_t>(n));
      for (int64_t i = 0; i < n; ++i) std::memcpy(&(*labels)[i], t.bytes.data() + 8 * i, 8);
    } else {
      labels->assign(values.begin(), values.end());
    }
    for (int64_t v : *labels)
      TV_CHECK_OR_RETURN(v >= 0, "labels contain a negative class %lld", static_cast<long long>(v));
    return Status::Ok();
  }
  // One-hot rows (Keras' to_categorical) are class labels, not regression targets.
  bool one_hot = per >= 2 && n > 0;
  for (int64_t i = 0; one_hot && i < n; ++i) {
    int64_t ones = 0;
    for (int64_t j = 0; one_hot && j < per; ++j) {
      const float v = values[static_cast<size_t>(i * per + j)];
      one_hot = v == 0.0f || v == 1.0f;
      ones += v == 1.0f;
    }
    one_hot = one_hot && ones == 1;
  }
  if (one_hot) {
    labels->resize(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) {
      const auto row = values.begin() + i * per;
      (*labels)[static_cast<size_t>(i)] = std::max_element(row, row + per) - row;
    }
    return Status::Ok();
  }
  targets->resize(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i)
    (*targets)[i].assign(values.begin() + i * per, values.begin() + (i + 1) * per);
  return Status::Ok();
}

Status ReadLabelFile(const std::string& path, std::vector<int64_t>* labels,
                     std::vector<std::vector<float>>* targets) {
  static const char kNpyMagic[] = "\x93NUMPY";
  if (FileStartsWith(path, kNpyMagic, 6)) {
    HostTensor t;
    TV_RETURN_IF_ERROR(ReadNpy(path, &t));
    return LabelsFromTensor(t, labels, targets);
  }
  std::ifstream f(path);
  TV_CHECK_OR_RETURN(f.good(), "cannot open file");
  std::vector<float> values;
  std::string line;
  int64_t line_no = 0;
  while (std::getline(f, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    char* end = nullptr;
    const double v = std::strtod(line.c_str(), &end);
    TV_CHECK_OR_RETURN(end != line.c_str() &&
                           line.find_first_not_of(" \t\r", end - line.c_str()) == std::string::npos,
                       "line %lld is not a number: '%.40s'", static_cast<long long>(line_no),
                       line.c_str());
    values.push_back(static_cast<float>(v));
  }
  HostTensor t;
  t.shape = {static_cast<int64_t>(values.size())};
  t.bytes.resize(values.size() * 4);
  if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
  return LabelsFromTensor(t, labels, targets);
}

namespace {

class FiniteSamples : public Dataset {
 public:
  explicit FiniteSamples(std::unique_ptr<Dataset> inner) : inner_(std::move(inner)) {
    notes_ = inner_->notes();
  }
  const char* format() const override { return inner_->format(); }
  int64_t NumSamples() const override { return inner_->NumSamples(); }
  const std::vector<int64_t>& sample_shape() const override { return inner_->sample_shape(); }
  bool integer_pixels() const override { return inner_->integer_pixels(); }
  const std::vector<std::string>& class_names() const override { return inner_->class_names(); }
  Status Next(Sample* out, bool* done) override {
    TV_RETURN_IF_ERROR(inner_->Next(out, done));
    if (*done || out->x.dtype != DataType::kFloat32) return Status::Ok();
    const float* x = out->x.As<float>();
    const int64_t n = out->x.NumElements();
    for (int64_t i = 0; i < n; ++i) {
      if (!std::isfinite(x[i])) {
        return Status::Error("sample %s: value %lld is %s (the data holds NaN/Inf)",
                             out->id.c_str(), static_cast<long long>(i),
                             std::isnan(x[i]) ? "NaN" : "infinite");
      }
    }
    return Status::Ok();
  }

 private:
  std::unique_ptr<Dataset> inner_;
};

}  // namespace

void RefuseNonFiniteSamples(std::unique_ptr<Dataset>* ds) {
  if (*ds) *ds = std::make_unique<FiniteSamples>(std::move(*ds));
}

Status OpenDataset(const std::string& path, const DatasetOptions& options,
                   std::unique_ptr<Dataset>* out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  Status s;
  static const char kZip[] = "PK\x03\x04";
  static const char kZipEmpty[] = "PK\x05\x06";
  static const char kNpy[] = "\x93NUMPY";
  const std::string name = Lower(fs::path(path).filename().string());
  if (fs::is_directory(path, ec)) {
    s = OpenFolderDataset(path, options, out);
  } else if (!fs::exists(path, ec)) {
    s = Status::Error("no such file or directory");
  } else if (FileStartsWith(path, kZip, 4) || FileStartsWith(path, kZipEmpty, 4) ||
             EndsWith(name, ".npz")) {
    s = OpenNpzDataset(path, options, out);
  } else if (FileStartsWith(path, kNpy, 6) || EndsWith(name, ".npy")) {
    s = OpenNpyDataset(path, options, out);
  } else if (name.find("idx") != std::string::npos || name.find("ubyte") != std::string::npos) {
    s = OpenIdxDataset(path, options, out);
  } else if (EndsWith(name, ".csv") || EndsWith(name, ".csv.gz") || EndsWith(name, ".txt")) {
    s = OpenCsvDataset(path, options, out);
  } else {
    s = Status::Error(
        "unknown data format (expected .npz, .npy, IDX *-idx3-ubyte[.gz], "
        ".csv[.gz] or a folder of class subfolders)");
  }
  if (s.ok() && options.csv_label_column != -2 && std::string((*out)->format()) != "csv")
    (*out)->AddNote("--csv-label-column is ignored (the data is not a CSV file)");
  if (s.ok()) RefuseNonFiniteSamples(out);
  return s.Prefixed(path.c_str());
}

}  // namespace verify
}  // namespace tv
