// Streaming held-out datasets for `tinyverify verify`: one reader per file format behind one
// interface, so the pipeline never holds more than a chunk of samples in memory.
//
// Formats (sniffed from the content, then the name):
//   .npz with arrays `x` (samples) and optionally `y` (labels/targets); stored or deflated.
//   .npy samples [N, ...] (+ labels from a separate .npy/.txt given as labels_path).
//   IDX `*-images-idx3-ubyte[.gz]`; labels `*-labels-idx1-ubyte[.gz]` found beside it.
//   CSV[.gz]: one sample per row, numeric columns; the label column is named label/y/target/
//     class in a header row, or options.csv_label_column, or the last column.
//   A folder of class-named subfolders holding images (PNG/JPG/BMP/PGM) or .npy samples;
//     classes are the sorted subfolder names, samples the sorted file names.
// Values become float32 as they are stored (uint8 pixels stay 0..255): scaling is an explicit
// --preprocess decision, never a guess.
#ifndef TINYVERIFY_COMPARE_DATASET_H_
#define TINYVERIFY_COMPARE_DATASET_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "compare/host_tensor.h"
#include "emulator/status.h"

namespace tv {
namespace verify {

struct Sample {
  std::string id;             // index as text, or "class/file.png" for folders
  int64_t label = -1;         // class label, -1 when unknown (or regression)
  std::vector<float> target;  // regression target (float labels), may be empty
  // The file's own layout without the sample axis: uint8 when the file stores uint8 pixels
  // (integer_pixels(): kept as stored, 4x less memory; InputMapper converts exactly), else
  // float32.
  HostTensor x;
};

struct DatasetOptions {
  std::string labels_path;        // labels for a bare .npy (or to override the default)
  int32_t csv_label_column = -2;  // -2 auto, -1 none (unlabelled), >= 0 column index
  // --class-names: a folder dataset's subfolder is then labelled by its name's position here.
  std::vector<std::string> class_names;
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  // "npz" | "npy" | "idx" | "csv" | "folder"
  virtual const char* format() const = 0;
  // Sample count when known up front, -1 otherwise.
  virtual int64_t NumSamples() const = 0;
  // Shape of every sample (all samples of one dataset share it).
  virtual const std::vector<int64_t>& sample_shape() const = 0;
  // True when samples are integer pixel data (uint8 images, IDX): the report shows thumbnails.
  virtual bool integer_pixels() const { return false; }
  // Class names when the format carries them (folder names), else empty.
  virtual const std::vector<std::string>& class_names() const;
  // Reads the next sample; *done = true (and `out` untouched) at the end. Errors name the
  // problem; the caller prefixes the path.
  [[nodiscard]] virtual Status Next(Sample* out, bool* done) = 0;
  // Human-readable notes about how the data was interpreted (label source, dtype...).
  const std::vector<std::string>& notes() const { return notes_; }
  void AddNote(const std::string& note) { notes_.push_back(note); }

 protected:
  std::vector<std::string> notes_;
};

// Opens `path` by sniffing its format. Errors are prefixed with the offending file's path.
[[nodiscard]] Status OpenDataset(const std::string& path, const DatasetOptions& options,
                                 std::unique_ptr<Dataset>* out);

// Wraps `ds` so that a float sample holding NaN or Inf is an error naming the sample: such a
// value has no int8 quantization and would pass through the models silently. OpenDataset
// applies it; callers with their own Dataset (in-memory arrays) apply it themselves.
void RefuseNonFiniteSamples(std::unique_ptr<Dataset>* ds);

// Readers (also usable directly; errors are not prefixed).
[[nodiscard]] Status OpenNpyDataset(const std::string& path, const DatasetOptions& options,
                                    std::unique_ptr<Dataset>* out);
[[nodiscard]] Status OpenNpzDataset(const std::string& path, const DatasetOptions& options,
                                    std::unique_ptr<Dataset>* out);
[[nodiscard]] Status OpenIdxDataset(const std::string& path, const DatasetOptions& options,
                                    std::unique_ptr<Dataset>* out);
[[nodiscard]] Status OpenCsvDataset(const std::string& path, const DatasetOptions& options,
                                    std::unique_ptr<Dataset>* out);
[[nodiscard]] Status OpenFolderDataset(const std::string& path, const DatasetOptions& options,
                                       std::unique_ptr<Dataset>* out);

// Labels from a whole file: .npy (integer -> labels, float -> targets) or text (one per line).
// Small by nature, so read at once. `labels` or `targets` is filled (one row per sample).
[[nodiscard]] Status ReadLabelFile(const std::string& path, std::vector<int64_t>* labels,
                                   std::vector<std::vector<float>>* targets);

// Converts `count` elements of `type` at `src` (little-endian) to float.
[[nodiscard]] Status ConvertToFloat(DataType type, const uint8_t* src, int64_t count, float* dst);

// Splits an in-memory label tensor (1-D or [N,1] ints -> labels; floats with only integral
// values in 1-D -> labels too; anything else -> per-sample targets).
[[nodiscard]] Status LabelsFromTensor(const HostTensor& t, std::vector<int64_t>* labels,
                                      std::vector<std::vector<float>>* targets);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_DATASET_H_
