// CSV[.gz] datasets: one sample per row, all columns numeric except an optional header row.
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "compare/byte_stream.h"
#include "compare/dataset.h"

namespace tv {
namespace verify {

namespace {

constexpr size_t kMaxLine = size_t{1} << 26;

// Splits a byte stream into lines without holding more than one line plus a buffer.
class LineReader {
 public:
  explicit LineReader(std::unique_ptr<ByteStream> in) : in_(std::move(in)), buf_(1 << 16) {}
  // *done at the end; a final line without '\n' still counts.
  Status Next(std::string* line, bool* done) {
    line->clear();
    for (;;) {
      if (pos_ == len_) {
        TV_RETURN_IF_ERROR(in_->Read(buf_.data(), buf_.size(), &len_));
        pos_ = 0;
        if (len_ == 0) {
          *done = line->empty();
          if (!*done) ++line_no_;
          return Status::Ok();
        }
      }
      const char* start = buf_.data() + pos_;
      const void* nl = std::memchr(start, '\n', len_ - pos_);
      const size_t take = nl ? static_cast<const char*>(nl) - start : len_ - pos_;
      line->append(start, take);
      TV_CHECK_OR_RETURN(line->size() <= kMaxLine, "line %lld is longer than %zu bytes",
                         static_cast<long long>(line_no_ + 1), kMaxLine);
      pos_ += take;
      if (nl) {
        ++pos_;
        ++line_no_;
        if (!line->empty() && line->back() == '\r') line->pop_back();
        *done = false;
        return Status::Ok();
      }
    }
  }
  int64_t line_no() const { return line_no_; }

 private:
  std::unique_ptr<ByteStream> in_;
  std::vector<char> buf_;
  size_t pos_ = 0, len_ = 0;
  int64_t line_no_ = 0;
};

std::vector<std::string> SplitFields(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (;;) {
    const size_t comma = line.find(delimiter, start);
    fields.push_back(
        line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) return fields;
    start = comma + 1;
  }
}

std::string Trim(const std::string& s) {
  const size_t b = s.find_first_not_of(" \t\"");
  const size_t e = s.find_last_not_of(" \t\"");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

bool ParseNumber(const std::string& field, float* v) {
  const std::string t = Trim(field);
  if (t.empty()) return false;
  char* end = nullptr;
  *v = std::strtof(t.c_str(), &end);
  return end == t.c_str() + t.size();
}

class CsvDataset : public Dataset {
 public:
  const char* format() const override { return "csv"; }
  int64_t NumSamples() const override { return -1; }
  const std::vector<int64_t>& sample_shape() const override { return shape_; }

  Status Open(const std::string& path, const DatasetOptions& options) {
    std::unique_ptr<ByteStream> in;
    TV_RETURN_IF_ERROR(OpenFileStream(path, &in));
    lines_ = std::make_unique<LineReader>(std::move(in));
    bool done = false;
    TV_RETURN_IF_ERROR(lines_->Next(&first_, &done));
    TV_CHECK_OR_RETURN(!done, "CSV file is empty");
    // Commas, unless the first line has none but semicolons or tabs (European / TSV exports).
    if (first_.find(',') == std::string::npos) {
      if (first_.find(';') != std::string::npos)
        delimiter_ = ';';
      else if (first_.find('\t') != std::string::npos)
        delimiter_ = '\t';
    }
    std::vector<std::string> fields = SplitFields(first_, delimiter_);
    columns_ = static_cast<int64_t>(fields.size());
    bool header = false;
    float v;
    for (const std::string& f : fields) header = header || !ParseNumber(f, &v);
    label_column_ = options.csv_label_column;
    if (label_column_ == -2) {
      label_column_ = columns_ - 1;
      for (int64_t i = 0; header && i < columns_; ++i) {
        std::string name = Trim(fields[i]);
        for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (name == "label" || name == "y" || name == "target" || name == "class") {
          label_column_ = i;
          targets_ = name == "target" ? 1 : -1;
        }
      }
      if (columns_ == 1) label_column_ = -1;
    }
    TV_CHECK_OR_RETURN(label_column_ < columns_, "label column %lld does not exist (%lld columns)",
                       static_cast<long long>(label_column_), static_cast<long long>(columns_));
    shape_ = {columns_ - (label_column_ >= 0 ? 1 : 0)};
    TV_CHECK_OR_RETURN(shape_[0] > 0, "CSV rows have no feature columns");
    if (header) {
      // Keep the first data row for Next(); a header alone is an error about this file, not
      // a 2-value sample the model then refuses.
      do {
        TV_RETURN_IF_ERROR(lines_->Next(&first_, &done));
      } while (!done && first_.find_first_not_of(" \t") == std::string::npos);
      TV_CHECK_OR_RETURN(!done, "CSV file has a header row but no data rows");
    }
    AddNote(std::string("CSV") +
            (delimiter_ == ';'    ? " (';'-separated)"
             : delimiter_ == '\t' ? " (tab-separated)"
                                  : "") +
            ": " + std::to_string(shape_[0]) + " features per row" +
            (header ? ", header row skipped" : ", no header") +
            (label_column_ >= 0 ? ", label = column " + std::to_string(label_column_)
                                : ", no label column"));
    return Status::Ok();
  }

  Status Next(Sample* out, bool* done) override {
    std::string line;
    do {
      if (!first_.empty()) {
        line.swap(first_);
        *done = false;
      } else {
        TV_RETURN_IF_ERROR(lines_->Next(&line, done));
        if (*done) return Status::Ok();
      }
    } while (line.find_first_not_of(" \t") == std::string::npos);
    const std::vector<std::string> fields = SplitFields(line, delimiter_);
    TV_CHECK_OR_RETURN(static_cast<int64_t>(fields.size()) == columns_,
                       "line %lld has %zu columns, the first row has %lld",
                       static_cast<long long>(lines_->line_no()), fields.size(),
                       static_cast<long long>(columns_));
    out->x.dtype = DataType::kFloat32;
    out->x.shape = shape_;
    out->x.bytes.resize(static_cast<size_t>(shape_[0]) * 4);
    float* x = out->x.As<float>();
    out->label = -1;
    out->target.clear();
    for (int64_t i = 0; i < columns_; ++i) {
      float v;
      TV_CHECK_OR_RETURN(
          ParseNumber(fields[i], &v), "line %lld column %lld is not a number: '%.30s'",
          static_cast<long long>(lines_->line_no()), static_cast<long long>(i), fields[i].c_str());
      if (i == label_column_) {
        // One kind for the whole column, fixed by a header named "target" or the first row:
        // class indices (non-negative integers) or regression targets.
        const bool index = std::isfinite(v) && v >= 0 && v == std::floor(v) && v < 1e9f;
        if (targets_ == -1 && index_ == 0) targets_ = index ? 0 : 1;
        if (targets_ == 1) {
          out->target.assign(1, v);
        } else {
          TV_CHECK_OR_RETURN(index,
                             "line %lld: label '%.30s' is not a class index (a non-negative "
                             "integer) like the first row's; regression targets need a header "
                             "naming the column 'target'",
                             static_cast<long long>(lines_->line_no()), Trim(fields[i]).c_str());
          out->label = static_cast<int64_t>(v);
        }
      } else {
        *x++ = v;
      }
    }
    out->id = std::to_string(index_++);
    return Status::Ok();
  }

 private:
  std::unique_ptr<LineReader> lines_;
  std::string first_;
  int64_t columns_ = 0;
  int64_t label_column_ = -1;
  char delimiter_ = ',';
  int targets_ = -1;  // label column: 1 regression targets, 0 class indices, -1 not yet known
  std::vector<int64_t> shape_;
  int64_t index_ = 0;
};

}  // namespace

Status OpenCsvDataset(const std::string& path, const DatasetOptions& options,
                      std::unique_ptr<Dataset>* out) {
  auto ds = std::make_unique<CsvDataset>();
  TV_RETURN_IF_ERROR(ds->Open(path, options));
  *out = std::move(ds);
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
