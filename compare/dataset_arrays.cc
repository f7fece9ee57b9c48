// Array-shaped datasets: .npy, .npz and IDX. All three are a header followed by N fixed-size
// records, read one record at a time from a ByteStream; labels are small and read up front.
#include <algorithm>
#include <cstring>
#include <filesystem>

#include "compare/byte_stream.h"
#include "compare/dataset.h"
#include "compare/npy.h"

namespace tv {
namespace verify {

namespace {

constexpr int64_t kMaxSampleElements = int64_t{1} << 28;

class RecordDataset : public Dataset {
 public:
  RecordDataset(const char* format, std::unique_ptr<ByteStream> in, DataType type,
                std::vector<int64_t> shape, int64_t count, bool big_endian)
      : format_(format), in_(std::move(in)), type_(type), count_(count), big_endian_(big_endian) {
    sample_shape_.assign(shape.begin() + 1, shape.end());
    per_sample_ = 1;
    for (int64_t d : sample_shape_) per_sample_ *= d;
    raw_.resize(static_cast<size_t>(per_sample_) * DataTypeSize(type_));
  }
  const char* format() const override { return format_; }
  int64_t NumSamples() const override { return count_; }
  const std::vector<int64_t>& sample_shape() const override { return sample_shape_; }
  bool integer_pixels() const override {
    return type_ == DataType::kUInt8 && (sample_shape_.size() == 2 || sample_shape_.size() == 3);
  }

  // A gzip or deflate stream is only checked (CRC, length) at its very end, after the last
  // sample: reading on to the end makes a corrupt or cut-short file an error instead of data
  // taken as good. Bytes after the samples are ignored, as before.
  Status DrainOnce() {
    if (drained_) return Status::Ok();
    drained_ = true;
    uint8_t sink[4096];
    for (size_t got = sizeof(sink); got == sizeof(sink);) {
      Status s = in_->Read(sink, sizeof(sink), &got);
      if (!s.ok()) return Status::Error("after the last sample: %s", s.message());
    }
    return Status::Ok();
  }

  Status SetLabels(std::vector<int64_t> labels, std::vector<std::vector<float>> targets,
                   const std::string& source) {
    const size_t n = std::max(labels.size(), targets.size());
    TV_CHECK_OR_RETURN(static_cast<int64_t>(n) == count_,
                       "%s has %zu labels but the data has %lld samples", source.c_str(), n,
                       static_cast<long long>(count_));
    labels_ = std::move(labels);
    targets_ = std::move(targets);
    notes_.push_back(
        "labels: " + source +
        (labels_.empty() ? " (float: regression targets)" : " (integer class labels)"));
    return Status::Ok();
  }

  Status Next(Sample* out, bool* done) override {
    *done = next_ >= count_;
    if (*done) return DrainOnce();
    out->x.shape = sample_shape_;
    const bool as_stored = type_ == DataType::kUInt8;  // see Sample::x
    uint8_t* dst = raw_.data();
    if (as_stored) {
      out->x.dtype = DataType::kUInt8;
      out->x.bytes.resize(raw_.size());
      dst = out->x.bytes.data();
    }
    Status s = ReadExact(*in_, dst, raw_.size(), "sample data");
    if (!s.ok())
      return Status::Error("sample %lld: %s", static_cast<long long>(next_), s.message());
    if (!as_stored) {
      if (big_endian_) {
        const size_t w = DataTypeSize(type_);
        for (size_t i = 0; w > 1 && i < raw_.size(); i += w) std::reverse(&raw_[i], &raw_[i] + w);
      }
      out->x.dtype = DataType::kFloat32;
      out->x.bytes.resize(static_cast<size_t>(per_sample_) * 4);
      TV_RETURN_IF_ERROR(ConvertToFloat(type_, raw_.data(), per_sample_, out->x.As<float>()));
    }
    out->id = std::to_string(next_);
    out->label = labels_.empty() ? -1 : labels_[static_cast<size_t>(next_)];
    if (targets_.empty()) {
      out->target.clear();
    } else {
      out->target = targets_[static_cast<size_t>(next_)];
    }
    ++next_;
    if (next_ == count_) return DrainOnce();  // the pipeline never asks past the last sample
    return Status::Ok();
  }

 private:
  const char* format_;
  std::unique_ptr<ByteStream> in_;
  DataType type_;
  int64_t count_;
  bool drained_ = false;
  bool big_endian_;
  std::vector<int64_t> sample_shape_;
  int64_t per_sample_ = 0;
  std::vector<uint8_t> raw_;
  std::vector<int64_t> labels_;
  std::vector<std::vector<float>> targets_;
  int64_t next_ = 0;
};

// Reads the .npy header from the stream, leaving it at the first data byte.
Status ReadNpyStreamHeader(ByteStream& in, DataType* type, std::vector<int64_t>* shape) {
  uint8_t head[12];
  TV_RETURN_IF_ERROR(ReadExact(in, head, 10, ".npy header"));
  TV_CHECK_OR_RETURN(std::memcmp(head, "\x93NUMPY", 6) == 0,
                     "not a .npy array (missing \\x93NUMPY magic)");
  size_t len = head[8] | (size_t{head[9]} << 8);
  if (head[6] == 2 || head[6] == 3) {
    TV_RETURN_IF_ERROR(ReadExact(in, head + 10, 2, ".npy header"));
    len |= (size_t{head[10]} << 16) | (size_t{head[11]} << 24);
  } else {
    TV_CHECK_OR_RETURN(head[6] == 1, ".npy format version %u is not supported", head[6]);
  }
  TV_CHECK_OR_RETURN(len <= (1u << 20), ".npy header is absurdly long (%zu bytes)", len);
  std::string header(len, '\0');
  TV_RETURN_IF_ERROR(ReadExact(in, header.data(), len, ".npy header"));
  return ParseNpyHeader(header, type, shape);
}

Status CheckSampleShape(const std::vector<int64_t>& shape, const char* what) {
  TV_CHECK_OR_RETURN(!shape.empty(), "%s is a scalar; expected [N, ...] (one row per sample)",
                     what);
  int64_t per = 1;
  for (size_t i = 1; i < shape.size(); ++i) per *= shape[i];
  TV_CHECK_OR_RETURN(per > 0 && per <= kMaxSampleElements,
                     "%s has shape %s: each sample must have 1..%lld elements", what,
                     ShapeToString(shape).c_str(), static_cast<long long>(kMaxSampleElements));
  return Status::Ok();
}

Status MakeArrayDataset(const char* format, std::unique_ptr<ByteStream> in, const char* what,
                        std::unique_ptr<RecordDataset>* out) {
  DataType type;
  std::vector<int64_t> shape;
  TV_RETURN_IF_ERROR(ReadNpyStreamHeader(*in, &type, &shape));
  TV_RETURN_IF_ERROR(CheckSampleShape(shape, what));
  std::vector<float> probe(1);
  TV_RETURN_IF_ERROR(ConvertToFloat(type, nullptr, 0, probe.data()));
  *out = std::make_unique<RecordDataset>(format, std::move(in), type, shape, shape[0], false);
  (*out)->AddNote(std::string(what) + ": " + DataTypeName(type) + " " + ShapeToString(shape));
  return Status::Ok();
}

}  // namespace

Status OpenNpyDataset(const std::string& path, const DatasetOptions& options,
                      std::unique_ptr<Dataset>* out) {
  std::unique_ptr<ByteStream> in;
  TV_RETURN_IF_ERROR(OpenFileStream(path, &in));
  std::unique_ptr<RecordDataset> ds;
  TV_RETURN_IF_ERROR(MakeArrayDataset("npy", std::move(in), "samples", &ds));
  if (!options.labels_path.empty()) {
    std::vector<int64_t> labels;
    std::vector<std::vector<float>> targets;
    Status s = ReadLabelFile(options.labels_path, &labels, &targets);
    if (!s.ok()) return Status::Error("labels %s: %s", options.labels_path.c_str(), s.message());
    TV_RETURN_IF_ERROR(ds->SetLabels(std::move(labels), std::move(targets), options.labels_path));
  } else {
    ds->AddNote("labels: none (pass --labels for accuracy; agreement metrics still work)");
  }
  *out = std::move(ds);
  return Status::Ok();
}

Status OpenNpzDataset(const std::string& path, const DatasetOptions& options,
                      std::unique_ptr<Dataset>* out) {
  std::vector<ZipEntry> entries;
  TV_RETURN_IF_ERROR(ListZip(path, &entries));
  const ZipEntry* x = nullptr;
  const ZipEntry* y = nullptr;
  std::string names;
  for (const ZipEntry& e : entries) {
    if (e.name == "x.npy" || e.name == "x") x = &e;
    if (e.name == "y.npy" || e.name == "y") y = &e;
    names += (names.empty() ? "" : ", ") + e.name;
  }
  if (x == nullptr && entries.size() == 1) x = &entries[0];
  TV_CHECK_OR_RETURN(x != nullptr,
                     "archive has no array 'x' (it holds: %s); save it with "
                     "np.savez(path, x=samples, y=labels)",
                     names.empty() ? "nothing" : names.c_str());
  std::unique_ptr<ByteStream> in;
  TV_RETURN_IF_ERROR(OpenZipEntry(path, *x, &in));
  std::unique_ptr<RecordDataset> ds;
  TV_RETURN_IF_ERROR(MakeArrayDataset("npz", std::move(in), "array 'x'", &ds));
  std::vector<int64_t> labels;
  std::vector<std::vector<float>> targets;
  if (!options.labels_path.empty()) {
    Status s = ReadLabelFile(options.labels_path, &labels, &targets);
    if (!s.ok()) return Status::Error("labels %s: %s", options.labels_path.c_str(), s.message());
    TV_RETURN_IF_ERROR(ds->SetLabels(std::move(labels), std::move(targets), options.labels_path));
  } else if (y != nullptr) {
    TV_CHECK_OR_RETURN(y->size <= (uint64_t{1} << 30), "array 'y' is too large for labels");
    std::unique_ptr<ByteStream> yin;
    TV_RETURN_IF_ERROR(OpenZipEntry(path, *y, &yin));
    std::vector<uint8_t> bytes(static_cast<size_t>(y->size));
    Status s = ReadExact(*yin, bytes.data(), bytes.size(), "array 'y'");
    HostTensor t;
    if (s.ok()) s = ParseNpy(bytes.data(), bytes.size(), &t);
    if (s.ok()) s = LabelsFromTensor(t, &labels, &targets);
    if (!s.ok()) return Status::Error("array 'y': %s", s.message());
    TV_RETURN_IF_ERROR(ds->SetLabels(std::move(labels), std::move(targets), "array 'y'"));
  } else {
    ds->AddNote("labels: none (the archive has no 'y')");
  }
  *out = std::move(ds);
  return Status::Ok();
}

namespace {

// IDX header: 0, 0, type code, rank, then rank big-endian uint32 dimensions.
Status ReadIdxHeader(ByteStream& in, DataType* type, std::vector<int64_t>* shape) {
  uint8_t magic[4];
  TV_RETURN_IF_ERROR(ReadExact(in, magic, 4, "IDX header"));
  TV_CHECK_OR_RETURN(magic[0] == 0 && magic[1] == 0 && magic[3] >= 1 && magic[3] <= 8,
                     "not an IDX file (bad magic %02x %02x %02x %02x)", magic[0], magic[1],
                     magic[2], magic[3]);
  switch (magic[2]) {
    case 0x08:
      *type = DataType::kUInt8;
      break;
    case 0x09:
      *type = DataType::kInt8;
      break;
    case 0x0B:
      *type = DataType::kInt16;
      break;
    case 0x0C:
      *type = DataType::kInt32;
      break;
    case 0x0D:
      *type = DataType::kFloat32;
      break;
    case 0x0E:
      *type = DataType::kFloat64;
      break;
    default:
      return Status::Error("IDX element type 0x%02x is unknown", magic[2]);
  }
  shape->clear();
  for (int i = 0; i < magic[3]; ++i) {
    uint8_t d[4];
    TV_RETURN_IF_ERROR(ReadExact(in, d, 4, "IDX header"));
    shape->push_back((int64_t{d[0]} << 24) | (int64_t{d[1]} << 16) | (int64_t{d[2]} << 8) | d[3]);
  }
  return Status::Ok();
}

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t p = s.rfind(from);
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

// "train-images-idx3-ubyte.gz" -> "train-labels-idx1-ubyte[.gz]" in the same folder.
std::string FindIdxLabels(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path p(path);
  std::string name = Replace(Replace(p.filename().string(), "images", "labels"), "idx3", "idx1");
  if (name == p.filename().string()) return "";
  std::string base = name;
  if (base.size() > 3 && base.compare(base.size() - 3, 3, ".gz") == 0) base.resize(base.size() - 3);
  std::error_code ec;
  for (const std::string& candidate : {base, base + ".gz"}) {
    const fs::path c = p.parent_path() / candidate;
    if (fs::is_regular_file(c, ec)) return c.string();
  }
  return "";
}

Status ReadIdxLabels(const std::string& path, std::vector<int64_t>* labels,
                     std::vector<std::vector<float>>* targets) {
  std::unique_ptr<ByteStream> in;
  TV_RETURN_IF_ERROR(OpenFileStream(path, &in));
  HostTensor t;
  TV_RETURN_IF_ERROR(ReadIdxHeader(*in, &t.dtype, &t.shape));
  TV_CHECK_OR_RETURN(t.shape.size() == 1, "IDX labels must be 1-D, got %s",
                     ShapeToString(t.shape).c_str());
  TV_CHECK_OR_RETURN(t.shape[0] <= (int64_t{1} << 28), "IDX label count is absurdly large");
  const size_t w = DataTypeSize(t.dtype);
  t.bytes.resize(static_cast<size_t>(t.shape[0]) * w);
  TV_RETURN_IF_ERROR(ReadExact(*in, t.bytes.data(), t.bytes.size(), "IDX labels"));
  for (size_t i = 0; w > 1 && i < t.bytes.size(); i += w)
    std::reverse(&t.bytes[i], &t.bytes[i] + w);
  return LabelsFromTensor(t, labels, targets);
}

}  // namespace

Status OpenIdxDataset(const std::string& path, const DatasetOptions& options,
                      std::unique_ptr<Dataset>* out) {
  std::unique_ptr<ByteStream> in;
  TV_RETURN_IF_ERROR(OpenFileStream(path, &in));
  DataType type;
  std::vector<int64_t> shape;
  TV_RETURN_IF_ERROR(ReadIdxHeader(*in, &type, &shape));
  TV_RETURN_IF_ERROR(CheckSampleShape(shape, "IDX data"));
  auto ds = std::make_unique<RecordDataset>("idx", std::move(in), type, shape, shape[0], true);
  ds->AddNote(std::string("IDX data: ") + DataTypeName(type) + " " + ShapeToString(shape));
  const std::string labels_path =
      options.labels_path.empty() ? FindIdxLabels(path) : options.labels_path;
  if (!labels_path.empty()) {
    std::vector<int64_t> labels;
    std::vector<std::vector<float>> targets;
    static const uint8_t kIdxMagicPrefix[2] = {0, 0};
    Status s = FileStartsWith(labels_path, kIdxMagicPrefix, 2) ||
                       labels_path.find("idx1") != std::string::npos
                   ? ReadIdxLabels(labels_path, &labels, &targets)
                   : ReadLabelFile(labels_path, &labels, &targets);
    if (!s.ok()) return Status::Error("labels %s: %s", labels_path.c_str(), s.message());
    TV_RETURN_IF_ERROR(ds->SetLabels(std::move(labels), std::move(targets), labels_path));
  } else {
    ds->AddNote("labels: none found beside the IDX file (expected *-labels-idx1-ubyte[.gz])");
  }
  *out = std::move(ds);
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
