// Folder datasets: DIR/<class>/<file> with images (decoded by stb_image) or .npy samples.
// Classes are the sorted subfolder names; a flat folder of files is unlabelled. Only the file
// list is held in memory; each sample is decoded when it is read.
#include <stb/stb_image.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>

#include "compare/dataset.h"
#include "compare/npy.h"

namespace tv {
namespace verify {

namespace {

namespace fs = std::filesystem;

std::string LowerExtension(const fs::path& p) {
  std::string e = p.extension().string();
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e;
}

bool IsImage(const std::string& ext) {
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp" || ext == ".pgm" ||
         ext == ".ppm" || ext == ".tga" || ext == ".gif";
}

// True for an indexed (<= 8 bits per pixel) BMP whose palette is all grey: stb expands palettes
// to RGB, but such a file (what PIL writes for a greyscale image) holds one channel.
bool IsGreyPaletteBmp(const std::string& path) {
  uint8_t h[54];
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return false;
  auto le = [&h](int at, int bytes) {
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = v << 8 | h[at + i];
    return v;
  };
  bool grey = std::fread(h, 1, sizeof(h), f) == sizeof(h) && h[0] == 'B' && h[1] == 'M';
  const uint32_t dib = grey ? le(14, 4) : 0, bits = grey ? le(28, 2) : 0;
  const uint32_t colors = grey ? le(46, 4) : 0;
  const uint32_t entries = colors != 0 ? colors : (bits <= 8 ? 1u << bits : 0);
  grey = grey && dib >= 40 && dib <= 1024 && bits >= 1 && bits <= 8 && entries >= 1 &&
         entries <= 256 && std::fseek(f, 14 + static_cast<long>(dib), SEEK_SET) == 0;
  for (uint32_t i = 0; grey && i < entries; ++i) {
    uint8_t bgrx[4];
    grey = std::fread(bgrx, 1, 4, f) == 4 && bgrx[0] == bgrx[1] && bgrx[1] == bgrx[2];
  }
  std::fclose(f);
  return grey;
}

// stb reads zeros past the end of a BMP instead of failing, so a truncated file would decode as
// an image with missing rows: refuse a file shorter than its own header says.
Status CheckBmpLength(const std::string& path) {
  uint8_t h[54] = {};
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return Status::Error("%s: cannot open file", path.c_str());
  const size_t got = std::fread(h, 1, sizeof(h), f);
  const bool seek = std::fseek(f, 0, SEEK_END) == 0;
  const long size = seek ? std::ftell(f) : -1;
  std::fclose(f);
  auto le = [&h](int at, int bytes) {
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; --i) v = v << 8 | h[at + i];
    return v;
  };
  if (got < 2 || h[0] != 'B' || h[1] != 'M') return Status::Ok();  // not a BMP: stb decides
  const uint32_t dib = got >= 18 ? le(14, 4) : 0;
  const bool os2 = dib == 12;
  const uint64_t header = 14 + static_cast<uint64_t>(os2 ? 12 : 40);
  if (size < 0 || static_cast<uint64_t>(size) < header || got < (os2 ? 26u : 54u))
    return Status::Error("%s: truncated BMP (%ld bytes, shorter than its header)", path.c_str(),
                         size);
  const int64_t w = os2 ? le(18, 2) : static_cast<int32_t>(le(18, 4));
  int64_t rows = os2 ? le(20, 2) : static_cast<int32_t>(le(22, 4));
  if (rows < 0) rows = -rows;  // top-down BMP
  const uint32_t bits = os2 ? le(24, 2) : le(28, 2), compression = os2 ? 0 : le(30, 4);
  if (compression != 0 && compression != 3 && compression != 6) return Status::Ok();  // RLE
  const uint64_t row_bytes = (static_cast<uint64_t>(w < 0 ? 0 : w) * bits + 31) / 32 * 4;
  const uint64_t need = le(10, 4) + row_bytes * static_cast<uint64_t>(rows);
  if (static_cast<uint64_t>(size) < need)
    return Status::Error("%s: truncated BMP (%ld bytes, its header describes %llu)", path.c_str(),
                         size, static_cast<unsigned long long>(need));
  return Status::Ok();
}

struct Entry {
  std::string path;
  std::string id;
  int64_t label;
};

class FolderDataset : public Dataset {
 public:
  const char* format() const override { return "folder"; }
  int64_t NumSamples() const override { return static_cast<int64_t>(entries_.size()); }
  const std::vector<int64_t>& sample_shape() const override { return shape_; }
  bool integer_pixels() const override { return images_; }
  const std::vector<std::string>& class_names() const override { return classes_; }

  Status Open(const std::string& root, const std::vector<std::string>& class_names) {
    std::error_code ec;
    std::vector<fs::path> dirs, files;
    for (const auto& e : fs::directory_iterator(root, ec)) {
      if (e.path().filename().string().rfind('.', 0) == 0) continue;  // hidden
      if (e.is_directory(ec)) dirs.push_back(e.path());
      if (e.is_regular_file(ec)) files.push_back(e.path());
    }
    TV_CHECK_OR_RETURN(!ec, "cannot list the folder: %s", ec.message().c_str());
    std::sort(dirs.begin(), dirs.end());
    std::sort(files.begin(), files.end());
    if (!dirs.empty()) {
      std::vector<int64_t> labels;
      TV_RETURN_IF_ERROR(LabelSubfolders(dirs, class_names, &labels));
      for (size_t i = 0; i < dirs.size(); ++i) {
        std::vector<fs::path> inside;
        for (const auto& e : fs::directory_iterator(dirs[i], ec))
          if (e.is_regular_file(ec) && e.path().filename().string().rfind('.', 0) != 0)
            inside.push_back(e.path());
        std::sort(inside.begin(), inside.end());
        for (const fs::path& f : inside) TV_RETURN_IF_ERROR(AddFile(f, labels[i], root));
      }
    } else {
      for (const fs::path& f : files) TV_RETURN_IF_ERROR(AddFile(f, -1, root));
      AddNote("folder: flat, no class subfolders (unlabelled)");
    }
    TV_CHECK_OR_RETURN(!entries_.empty(), "folder has no image (PNG/JPG/BMP) or .npy samples");
    // The first image fixes the channels every image is decoded to (stb converts grey <-> RGB):
    // alpha is dropped (models take grey or RGB) and a grey-palette BMP is grey.
    if (images_) {
      int w = 0, h = 0, c = 0;
      if (stbi_info(entries_[0].path.c_str(), &w, &h, &c) == 0)
        return Status::Error("%s: cannot decode image: %s", entries_[0].path.c_str(),
                             stbi_failure_reason());
      channels_ = c == 2 ? 1 : c == 4 ? 3 : c;
      if (channels_ == 3 && LowerExtension(entries_[0].path) == ".bmp" &&
          IsGreyPaletteBmp(entries_[0].path))
        channels_ = 1;
    }
    // The first sample fixes the shape every other sample must have.
    Sample first;
    TV_RETURN_IF_ERROR(Load(entries_[0], &first));
    shape_ = first.x.shape;
    AddNote(std::string(images_ ? "images" : ".npy samples") + ", sample shape " +
            ShapeToString(shape_) + (images_ ? " (HWC, 0..255)" : ""));
    return Status::Ok();
  }

  Status Next(Sample* out, bool* done) override {
    *done = next_ >= entries_.size();
    if (*done) return Status::Ok();
    const Entry& e = entries_[next_++];
    TV_RETURN_IF_ERROR(Load(e, out));
    TV_CHECK_OR_RETURN(out->x.shape == shape_, "%s: shape %s differs from the first sample's %s",
                       e.path.c_str(), ShapeToString(out->x.shape).c_str(),
                       ShapeToString(shape_).c_str());
    return Status::Ok();
  }

 private:
  // Labels of the class subfolders. Position in a sorted listing is only right when every class
  // has a subfolder, so names that say their class win: a name's position in --class-names,
  // else a number ("0", "7", "11": sorted as text "11" would come before "7").
  Status LabelSubfolders(const std::vector<fs::path>& dirs, const std::vector<std::string>& names,
                         std::vector<int64_t>* labels) {
    bool numeric = names.empty();
    for (const fs::path& d : dirs) {
      const std::string n = d.filename().string();
      if (!names.empty()) {
        const auto it = std::find(names.begin(), names.end(), n);
        TV_CHECK_OR_RETURN(it != names.end(), "subfolder '%s' is not one of the %zu --class-names",
                           n.c_str(), names.size());
        labels->push_back(it - names.begin());
      }
      numeric = numeric && !n.empty() && n.size() <= 6 &&
                std::all_of(n.begin(), n.end(), [](char c) { return c >= '0' && c <= '9'; });
    }
    if (!names.empty()) {
      AddNote("folder: " + std::to_string(dirs.size()) +
              " class subfolders, labelled by their name's position in --class-names");
    } else if (numeric) {
      for (const fs::path& d : dirs) labels->push_back(std::stoll(d.filename().string()));
      AddNote("folder: " + std::to_string(dirs.size()) +
              " class subfolders named by number (label = the number)");
    } else {
      for (const fs::path& d : dirs) {
        labels->push_back(static_cast<int64_t>(classes_.size()));
        classes_.push_back(d.filename().string());
      }
      AddNote("folder: " + std::to_string(classes_.size()) +
              " classes from sorted subfolder names (label = position)");
    }
    return Status::Ok();
  }

  Status AddFile(const fs::path& f, int64_t label, const std::string& root) {
    const std::string ext = LowerExtension(f);
    const bool image = IsImage(ext);
    if (!image && ext != ".npy") return Status::Ok();  // README, labels.txt, ...
    if (!entries_.empty())
      TV_CHECK_OR_RETURN(image == images_, "%s: folder mixes images and .npy samples",
                         f.string().c_str());
    images_ = image;
    entries_.push_back({f.string(), fs::relative(f, root).generic_string(), label});
    return Status::Ok();
  }

  Status Load(const Entry& e, Sample* out) const {
    out->id = e.id;
    out->label = e.label;
    out->target.clear();
    out->x.dtype = DataType::kFloat32;
    if (!images_) {
      HostTensor t;
      Status s = ReadNpy(e.path, &t);
      if (s.ok()) {
        out->x.shape = t.shape;
        out->x.bytes.resize(static_cast<size_t>(t.NumElements()) * 4);
        s = ConvertToFloat(t.dtype, t.bytes.data(), t.NumElements(), out->x.As<float>());
      }
      if (!s.ok()) return Status::Error("%s: %s", e.path.c_str(), s.message());
      return Status::Ok();
    }
    int w = 0, h = 0, c = 0;
    if (LowerExtension(e.path) == ".bmp") TV_RETURN_IF_ERROR(CheckBmpLength(e.path));
    stbi_uc* pixels = stbi_load(e.path.c_str(), &w, &h, &c, channels_);
    if (pixels == nullptr)
      return Status::Error("%s: cannot decode image: %s", e.path.c_str(), stbi_failure_reason());
    c = channels_;
    out->x.dtype = DataType::kUInt8;  // pixels as decoded: see Sample::x
    out->x.shape = {h, w, c};
    out->x.bytes.assign(pixels, pixels + static_cast<size_t>(w) * h * c);
    stbi_image_free(pixels);
    return Status::Ok();
  }

  std::vector<Entry> entries_;
  std::vector<std::string> classes_;
  std::vector<int64_t> shape_;
  bool images_ = false;
  int channels_ = 0;  // images: decoded to this many channels (1 or 3)
  size_t next_ = 0;
};

}  // namespace

Status OpenFolderDataset(const std::string& path, const DatasetOptions& options,
                         std::unique_ptr<Dataset>* out) {
  auto ds = std::make_unique<FolderDataset>();
  TV_RETURN_IF_ERROR(ds->Open(path, options.class_names));
  if (!options.labels_path.empty())
    ds->AddNote("--labels is ignored for folders (labels come from subfolder names)");
  *out = std::move(ds);
  return Status::Ok();
}

}  // namespace verify
}  // namespace tv
