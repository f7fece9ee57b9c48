#include "compare/array_dataset.h"

#include <string>
#include <utility>

namespace tv {
namespace verify {

namespace {

class ArrayDataset : public Dataset {
 public:
  ArrayDataset(const TensorView& x, std::vector<int64_t> labels,
               std::vector<std::vector<float>> targets)
      : x_(x), labels_(std::move(labels)), targets_(std::move(targets)) {
    sample_shape_.assign(x.shape.begin() + 1, x.shape.end());
    for (int64_t d : sample_shape_) per_sample_ *= d;
    sample_bytes_ = static_cast<size_t>(per_sample_) * DataTypeSize(x.dtype);
  }
  const char* format() const override { return "array"; }
  int64_t NumSamples() const override { return x_.shape[0]; }
  const std::vector<int64_t>& sample_shape() const override { return sample_shape_; }
  // Same rule as the file readers: uint8 images get thumbnails and the pixel preprocess logic.
  bool integer_pixels() const override {
    return x_.dtype == DataType::kUInt8 && (sample_shape_.size() == 2 || sample_shape_.size() == 3);
  }

  Status Next(Sample* out, bool* done) override {
    *done = next_ >= x_.shape[0];
    if (*done) return Status::Ok();
    out->x.shape = sample_shape_;
    const uint8_t* src = x_.data + sample_bytes_ * static_cast<size_t>(next_);
    if (x_.dtype == DataType::kUInt8) {  // kept as stored: see Sample::x
      out->x.dtype = DataType::kUInt8;
      out->x.bytes.assign(src, src + sample_bytes_);
    } else {
      out->x.dtype = DataType::kFloat32;
      out->x.bytes.resize(static_cast<size_t>(per_sample_) * sizeof(float));
      TV_RETURN_IF_ERROR(ConvertToFloat(x_.dtype, src, per_sample_, out->x.As<float>()));
    }
    out->id = std::to_string(next_);
    out->label = labels_.empty() ? -1 : labels_[static_cast<size_t>(next_)];
    out->target = targets_.empty() ? std::vector<float>() : targets_[static_cast<size_t>(next_)];
    ++next_;
    return Status::Ok();
  }

 private:
  TensorView x_;
  std::vector<int64_t> labels_;
  std::vector<std::vector<float>> targets_;
  std::vector<int64_t> sample_shape_;
  int64_t per_sample_ = 1;
  size_t sample_bytes_ = 0;
  int64_t next_ = 0;
};

}  // namespace

Status OpenArrayDataset(const TensorView& x, std::vector<int64_t> labels,
                        std::vector<std::vector<float>> targets, std::unique_ptr<Dataset>* out) {
  TV_CHECK_OR_RETURN(!x.shape.empty(),
                     "samples are a scalar; expected [N, ...] (one row per "
                     "sample)");
  int64_t elements = 1;
  for (int64_t d : x.shape) {
    TV_CHECK_OR_RETURN(d >= 0, "samples have a negative dimension in %s",
                       ShapeToString(x.shape).c_str());
    elements *= d;
  }
  TV_CHECK_OR_RETURN(x.shape[0] > 0, "samples have shape %s: no samples",
                     ShapeToString(x.shape).c_str());
  TV_CHECK_OR_RETURN(elements / x.shape[0] > 0, "samples have shape %s: each sample is empty",
                     ShapeToString(x.shape).c_str());
  float probe = 0.0f;
  TV_RETURN_IF_ERROR(ConvertToFloat(x.dtype, nullptr, 0, &probe));
  TV_CHECK_OR_RETURN(x.size == static_cast<size_t>(elements) * DataTypeSize(x.dtype),
                     "samples hold %zu bytes, shape %s needs %zu", x.size,
                     ShapeToString(x.shape).c_str(),
                     static_cast<size_t>(elements) * DataTypeSize(x.dtype));
  const size_t rows = labels.empty() ? targets.size() : labels.size();
  TV_CHECK_OR_RETURN(rows == 0 || static_cast<int64_t>(rows) == x.shape[0],
                     "%zu labels for %lld samples", rows, static_cast<long long>(x.shape[0]));
  const char* label_note = rows == 0        ? "labels: none (agreement metrics still work)"
                           : labels.empty() ? "labels: y (float: regression targets)"
                                            : "labels: y (integer class labels)";
  auto ds = std::make_unique<ArrayDataset>(x, std::move(labels), std::move(targets));
  ds->AddNote(std::string("samples: ") + DataTypeName(x.dtype) + " " + ShapeToString(x.shape) +
              " (in memory)");
  ds->AddNote(label_note);
  *out = std::move(ds);
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
