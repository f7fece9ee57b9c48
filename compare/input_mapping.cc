#include "compare/input_mapping.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace tv {
namespace verify {

namespace {

Status ParseNumber(const std::string& text, float* out) {
  const size_t slash = text.find('/');
  const std::string a = text.substr(0, slash);
  char* end = nullptr;
  double v = std::strtod(a.c_str(), &end);
  TV_CHECK_OR_RETURN(!a.empty() && *end == '\0', "'%s' is not a number", text.c_str());
  if (slash != std::string::npos) {
    const std::string b = text.substr(slash + 1);
    const double d = std::strtod(b.c_str(), &end);
    TV_CHECK_OR_RETURN(!b.empty() && *end == '\0' && d != 0, "'%s' is not a fraction a/b",
                       text.c_str());
    v /= d;
  }
  TV_CHECK_OR_RETURN(std::isfinite(v), "'%s' is not finite", text.c_str());
  *out = static_cast<float>(v);
  return Status::Ok();
}

std::string Join(const std::vector<float>& v) {
  std::string s;
  char buf[32];
  for (size_t i = 0; i < v.size(); ++i) {
    std::snprintf(buf, sizeof(buf), "%s%g", i ? ":" : "", static_cast<double>(v[i]));
    s += buf;
  }
  return s;
}

const char* LayoutName(Layout l) {
  switch (l) {
    case Layout::kHW:
      return "HW";
    case Layout::kHWC:
      return "HWC";
    case Layout::kCHW:
      return "CHW";
    default:
      return "flat";
  }
}

bool IsChannelCount(int64_t c) { return c == 1 || c == 3 || c == 4; }

}  // namespace

std::string Preprocess::ToString() const {
  char buf[48];
  std::snprintf(buf, sizeof(buf), "scale=%g", static_cast<double>(scale));
  return std::string(buf) + ",mean=" + Join(mean) + ",std=" + Join(std);
}

Status ParsePreprocess(const std::string& text, Preprocess* out) {
  *out = Preprocess();
  if (text.empty()) return Status::Ok();
  out->given = true;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    start = comma + 1;
    if (item.empty()) continue;
    const size_t eq = item.find('=');
    TV_CHECK_OR_RETURN(eq != std::string::npos, "--preprocess: '%s' is not key=value",
                       item.c_str());
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    std::vector<float> values;
    size_t p = 0;
    while (p <= value.size()) {
      size_t colon = value.find(':', p);
      if (colon == std::string::npos) colon = value.size();
      float v = 0;
      Status s = ParseNumber(value.substr(p, colon - p), &v);
      if (!s.ok()) return Status::Error("--preprocess %s: %s", key.c_str(), s.message());
      values.push_back(v);
      p = colon + 1;
    }
    if (key == "scale") {
      TV_CHECK_OR_RETURN(values.size() == 1, "--preprocess scale takes one value");
      out->scale = values[0];
    } else if (key == "mean") {
      out->mean = values;
    } else if (key == "std") {
      for (float v : values) TV_CHECK_OR_RETURN(v != 0, "--preprocess std must not be 0");
      out->std = values;
    } else {
      return Status::Error("--preprocess: unknown key '%s' (use scale, mean, std)", key.c_str());
    }
  }
  return Status::Ok();
}

Status InputMapper::Plan(const std::vector<int64_t>& sample_shape, const TensorSpec& spec,
                         const Preprocess& pre, bool channels_first_hint,
                         const std::string& model_name, std::vector<std::string>* decisions) {
  spec_ = spec;
  shape_.clear();
  int64_t model_n = 1, sample_n = 1;
  for (int64_t d : spec.shape) {
    shape_.push_back(d < 0 ? 1 : d);
    model_n *= shape_.back();
  }
  for (int64_t d : sample_shape) sample_n *= d;
  const std::string where =
      model_name + " input '" + spec.name + "' " + DataTypeName(spec.dtype) + ShapeToString(shape_);
  TV_CHECK_OR_RETURN(sample_n == model_n,
                     "%s: samples of shape %s (%lld values) do not fit it (%lld values)",
                     where.c_str(), ShapeToString(sample_shape).c_str(),
                     static_cast<long long>(sample_n), static_cast<long long>(model_n));
  switch (spec.dtype) {
    case DataType::kFloat32:
      break;
    case DataType::kInt8:
      qmin_ = -128, qmax_ = 127;
      break;
    case DataType::kUInt8:
      qmin_ = 0, qmax_ = 255;
      break;
    case DataType::kInt16:
      qmin_ = -32768, qmax_ = 32767;
      break;
    default:
      return Status::Error("%s: input dtype %s is not supported by verify", where.c_str(),
                           DataTypeName(spec.dtype));
  }
  TV_CHECK_OR_RETURN(spec.dtype == DataType::kFloat32 || (spec.quantized && spec.scale > 0),
                     "%s: integer input without a quantization scale", where.c_str());

  // Model layout (4-D image inputs with batch 1): by shape, by convention when ambiguous.
  Layout model_layout = Layout::kNone;
  int64_t H = 0, W = 0, C = 0;
  if (shape_.size() == 4 && shape_[0] == 1) {
    const bool last = IsChannelCount(shape_[3]), first = IsChannelCount(shape_[1]);
    const bool nchw = first && (!last || channels_first_hint);
    model_layout = nchw ? Layout::kCHW : Layout::kHWC;
    C = nchw ? shape_[1] : shape_[3];
    H = nchw ? shape_[2] : shape_[1];
    W = nchw ? shape_[3] : shape_[2];
  }
  // Sample layout: drop a leading 1, then match against (H, W, C).
  std::vector<int64_t> s = sample_shape;
  if (s.size() == 4 && s[0] == 1) s.erase(s.begin());
  Layout sample_layout = Layout::kNone;
  if (model_layout != Layout::kNone) {
    const bool hwc = s.size() == 3 && s[0] == H && s[1] == W && s[2] == C;
    const bool chw = s.size() == 3 && s[0] == C && s[1] == H && s[2] == W;
    if (s.size() == 2 && C == 1 && s[0] == H && s[1] == W)
      sample_layout = Layout::kHW;
    else if (hwc && chw)
      sample_layout = model_layout;
    else if (hwc)
      sample_layout = Layout::kHWC;
    else if (chw)
      sample_layout = Layout::kCHW;
  }
  gather_.clear();
  std::string how;
  if (model_layout == Layout::kNone || sample_layout == Layout::kNone) {
    how = "reshaped as is (same number of values, no image layout detected)";
  } else if (sample_layout == Layout::kHW || C == 1 || sample_layout == model_layout) {
    how = std::string(LayoutName(sample_layout)) + " -> N" + LayoutName(model_layout) +
          ", no transpose needed";
  } else {
    how = std::string(LayoutName(sample_layout)) + " transposed to N" + LayoutName(model_layout);
    gather_.resize(static_cast<size_t>(model_n));
    for (int64_t h = 0; h < H; ++h)
      for (int64_t w = 0; w < W; ++w)
        for (int64_t c = 0; c < C; ++c) {
          const int64_t hwc = (h * W + w) * C + c, chw = (c * H + h) * W + w;
          if (model_layout == Layout::kCHW)
            gather_[chw] = static_cast<int32_t>(hwc);
          else
            gather_[hwc] = static_cast<int32_t>(chw);
        }
  }
  decisions->push_back(where + ": samples " + ShapeToString(sample_shape) + " " + how);

  // Per-element affine preprocessing; per-channel values follow the sample's channel axis.
  const size_t k = std::max(pre.mean.size(), pre.std.size());
  TV_CHECK_OR_RETURN((pre.mean.size() == 1 || pre.mean.size() == k) &&
                         (pre.std.size() == 1 || pre.std.size() == k),
                     "--preprocess: mean and std have different channel counts");
  int64_t channel_stride = 0;  // sample element i has channel (i / stride) % k
  if (k > 1) {
    if (!s.empty() && s.back() == static_cast<int64_t>(k)) {
      channel_stride = 1;
    } else if (s.size() >= 2 && s[0] == static_cast<int64_t>(k)) {
      channel_stride = sample_n / static_cast<int64_t>(k);
    } else {
      return Status::Error(
          "--preprocess has %zu channel values but samples %s have no axis of "
          "that size",
          k, ShapeToString(sample_shape).c_str());
    }
  }
  mul_.resize(static_cast<size_t>(model_n));
  add_.resize(static_cast<size_t>(model_n));
  for (int64_t i = 0; i < model_n; ++i) {
    const int64_t src = gather_.empty() ? i : gather_[i];
    const size_t c = k > 1 ? static_cast<size_t>((src / channel_stride) % k) : 0;
    const float m = pre.mean.size() > 1 ? pre.mean[c] : pre.mean[0];
    const float d = pre.std.size() > 1 ? pre.std[c] : pre.std[0];
    mul_[i] = pre.scale / d;
    add_[i] = -m / d;
  }
  if (spec.dtype != DataType::kFloat32) {
    char buf[200];
    std::snprintf(buf, sizeof(buf),
                  "%s: quantized with scale %g, zero point %d (round half away from zero, clamp "
                  "to [%g, %g]; covers floats [%g, %g])",
                  where.c_str(), static_cast<double>(spec.scale), spec.zero_point,
                  static_cast<double>(qmin_), static_cast<double>(qmax_),
                  static_cast<double>((qmin_ - spec.zero_point) * spec.scale),
                  static_cast<double>((qmax_ - spec.zero_point) * spec.scale));
    decisions->push_back(buf);
  }
  return Status::Ok();
}

int32_t QuantizeValue(float y, float scale, int32_t zero_point, int32_t qmin, int32_t qmax,
                      bool* clipped) {
  const float r = std::round(y / scale);  // std::round: halves away from zero
  const float q = r + static_cast<float>(zero_point);
  *clipped = !(q >= static_cast<float>(qmin) && q <= static_cast<float>(qmax));
  if (q >= static_cast<float>(qmax)) return qmax;
  if (q >= static_cast<float>(qmin)) return static_cast<int32_t>(q);
  return qmin;  // also NaN
}

namespace {

// The per-sample loops run once per model per sample; an AVX2 clone (picked at load time)
// doubles their vector width over the x86-64 baseline. Same IEEE operations, same results.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TV_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define TV_VECTOR_CLONES
#endif

// `In` is float or uint8_t (samples kept as stored pixels); a uint8 converts to float exactly,
// so both give the same bits.
template <bool kGather, typename In>
TV_VECTOR_CLONES void AffineLoop(const In* x, const int32_t* g, const float* mul, const float* add,
                                 size_t n, float* y) {
  for (size_t i = 0; i < n; ++i) y[i] = static_cast<float>(x[kGather ? g[i] : i]) * mul[i] + add[i];
}

// The per-element loop of InputMapper::Map for one integer type: the same result as
// QuantizeValue, written without libm calls or branches so the compiler can vectorize it
// (GCC also needs -fno-trapping-math to if-convert the float compares: see CMakeLists.txt).
template <typename T, bool kGather, typename In>
TV_VECTOR_CLONES int64_t QuantizeLoop(const In* x, const int32_t* g, const float* mul,
                                      const float* add, size_t n, float scale, int32_t zp,
                                      int32_t qmin, int32_t qmax, T* out) {
  int32_t clips = 0;            // same lane width as the arithmetic, so the loop vectorizes
  constexpr float kFar = 1e7f;  // beyond any int16 range, exactly representable
  for (size_t i = 0; i < n; ++i) {
    float v = (static_cast<float>(x[kGather ? g[i] : i]) * mul[i] + add[i]) / scale;
    v = -kFar < v ? v : -kFar;  // also NaN -> -kFar: clips to qmin, as in QuantizeValue
    v = v < kFar ? v : kFar;
    int32_t t = static_cast<int32_t>(v);           // toward zero
    const float frac = v - static_cast<float>(t);  // exact for |v| < 2^23
    t += static_cast<int32_t>(frac >= 0.5f) - static_cast<int32_t>(frac <= -0.5f);
    const int32_t q = t + zp;
    clips += static_cast<int32_t>(q < qmin) | static_cast<int32_t>(q > qmax);  // no branch
    out[i] = static_cast<T>(std::min(std::max(q, qmin), qmax));
  }
  return clips;
}

template <typename T, typename In>
int64_t Quantize(const In* x, const int32_t* g, const float* mul, const float* add, size_t n,
                 float scale, int32_t zp, float qmin, float qmax, T* out) {
  const int32_t lo = static_cast<int32_t>(qmin), hi = static_cast<int32_t>(qmax);
  return g ? QuantizeLoop<T, true>(x, g, mul, add, n, scale, zp, lo, hi, out)
           : QuantizeLoop<T, false>(x, g, mul, add, n, scale, zp, lo, hi, out);
}

template <typename In>
void MapValues(const In* x, const int32_t* g, const std::vector<float>& mul,
               const std::vector<float>& add, const TensorSpec& spec, float qmin, float qmax,
               HostTensor* out, int64_t* clipped) {
  const size_t n = mul.size();
  switch (spec.dtype) {
    case DataType::kFloat32:
      if (g) {
        AffineLoop<true>(x, g, mul.data(), add.data(), n, out->As<float>());
      } else {
        AffineLoop<false>(x, g, mul.data(), add.data(), n, out->As<float>());
      }
      return;
    case DataType::kInt8:
      *clipped += Quantize(x, g, mul.data(), add.data(), n, spec.scale, spec.zero_point, qmin, qmax,
                           out->As<int8_t>());
      return;
    case DataType::kUInt8:
      *clipped += Quantize(x, g, mul.data(), add.data(), n, spec.scale, spec.zero_point, qmin, qmax,
                           out->As<uint8_t>());
      return;
    default:
      *clipped += Quantize(x, g, mul.data(), add.data(), n, spec.scale, spec.zero_point, qmin, qmax,
                           out->As<int16_t>());
      return;
  }
}

}  // namespace

void InputMapper::Map(const HostTensor& sample, HostTensor* out, int64_t* clipped) const {
  out->dtype = spec_.dtype;
  out->shape = shape_;
  out->bytes.resize(mul_.size() * DataTypeSize(spec_.dtype));
  const int32_t* g = gather_.empty() ? nullptr : gather_.data();
  if (sample.dtype == DataType::kUInt8) {
    MapValues(sample.As<uint8_t>(), g, mul_, add_, spec_, qmin_, qmax_, out, clipped);
  } else {
    MapValues(sample.As<float>(), g, mul_, add_, spec_, qmin_, qmax_, out, clipped);
  }
}

Status OutputToFloat(const HostTensor& t, const TensorSpec& spec, std::vector<float>* out) {
  const int64_t n = t.NumElements();
  out->resize(static_cast<size_t>(n));
  const float scale = spec.quantized ? spec.scale : 1.0f;
  const int32_t zp = spec.quantized ? spec.zero_point : 0;
  switch (t.dtype) {
    case DataType::kFloat32:
      if (n > 0) std::memcpy(out->data(), t.bytes.data(), static_cast<size_t>(n) * 4);
      return Status::Ok();
    case DataType::kInt8:
      for (int64_t i = 0; i < n; ++i) (*out)[i] = (t.As<int8_t>()[i] - zp) * scale;
      return Status::Ok();
    case DataType::kUInt8:
      for (int64_t i = 0; i < n; ++i) (*out)[i] = (t.As<uint8_t>()[i] - zp) * scale;
      return Status::Ok();
    case DataType::kInt16:
      for (int64_t i = 0; i < n; ++i) (*out)[i] = (t.As<int16_t>()[i] - zp) * scale;
      return Status::Ok();
    case DataType::kInt32:
      for (int64_t i = 0; i < n; ++i)
        (*out)[i] = static_cast<float>(t.As<int32_t>()[i] - int64_t{zp}) * scale;
      return Status::Ok();
    default:
      return Status::Error("output '%s' has dtype %s, which verify cannot compare",
                           spec.name.c_str(), DataTypeName(t.dtype));
  }
}

bool LooksLikeLogits(const std::vector<float>& v) {
  if (v.size() < 2) return false;
  double sum = 0;
  for (float x : v) {
    if (x < 0) return true;
    sum += x;
  }
  return std::fabs(sum - 1.0) > 0.05;  // int8 softmax rows are off by up to ~n/512
}

void Softmax(std::vector<float>* v) {
  if (v->empty()) return;
  float max = (*v)[0];
  for (float x : *v) max = std::max(max, x);
  double sum = 0;
  for (float& x : *v) {
    x = std::exp(x - max);
    sum += x;
  }
  for (float& x : *v) x = static_cast<float>(x / sum);
}

}  // namespace verify
}  // namespace tv
