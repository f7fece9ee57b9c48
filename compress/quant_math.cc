#include "compress/quant_math.h"

#include <algorithm>
#include <cmath>

namespace tv {
namespace compress {
namespace {

// Value below which `fraction` of the histogram mass lies (linear inside the bin).
float HistogramQuantile(const TensorStats& s, double fraction) {
  uint64_t total = 0;
  for (uint64_t c : s.histogram) total += c;
  if (total == 0) return s.min;
  const double width = (static_cast<double>(s.max) - s.min) / s.histogram.size();
  const double target = fraction * static_cast<double>(total);
  double seen = 0;
  for (size_t b = 0; b < s.histogram.size(); ++b) {
    const double c = static_cast<double>(s.histogram[b]);
    if (seen + c >= target && c > 0) {
      return static_cast<float>(s.min + width * (b + (target - seen) / c));
    }
    seen += c;
  }
  return s.max;
}

// Expected squared error of int8 quantization with range [lo, hi] over the histogram:
// clipping error outside, uniform rounding error (step^2 / 12) inside.
double QuantizationMse(const TensorStats& s, float lo, float hi) {
  const double width = (static_cast<double>(s.max) - s.min) / s.histogram.size();
  const double step = (static_cast<double>(hi) - lo) / 255.0;
  double err = 0;
  for (size_t b = 0; b < s.histogram.size(); ++b) {
    const double center = s.min + width * (b + 0.5);
    double e = step * step / 12.0;
    if (center > hi) e = (center - hi) * (center - hi);
    if (center < lo) e = (lo - center) * (lo - center);
    err += e * static_cast<double>(s.histogram[b]);
  }
  return err;
}

}  // namespace

void ChooseRange(const TensorStats& s, RangeMethod method, double percentile, float* lo,
                 float* hi) {
  *lo = std::min(s.min, 0.0f);
  *hi = std::max(s.max, 0.0f);
  if (s.histogram.empty() || method == RangeMethod::kMinMax) return;
  if (method == RangeMethod::kPercentile) {
    const double f = percentile / 100.0;
    *lo = std::min(HistogramQuantile(s, 1.0 - f), 0.0f);
    *hi = std::max(HistogramQuantile(s, f), 0.0f);
    return;
  }
  // MSE: shrink the min/max range in steps and keep the best.
  const float lo0 = *lo, hi0 = *hi;
  double best = QuantizationMse(s, lo0, hi0);
  for (int i = 1; i < 80; ++i) {
    const float a = 1.0f - 0.01f * static_cast<float>(i);
    const double e = QuantizationMse(s, lo0 * a, hi0 * a);
    if (e < best) {
      best = e;
      *lo = lo0 * a;
      *hi = hi0 * a;
    }
  }
}

QuantParams AsymmetricInt8(float lo, float hi) {
  lo = std::min(lo, 0.0f);
  hi = std::max(hi, 0.0f);
  if (hi - lo < 1e-6f) hi = lo + 1e-6f;
  QuantParams p;
  p.scale = (hi - lo) / 255.0f;
  const double zp = -128.0 - static_cast<double>(lo) / p.scale;
  p.zero_point = static_cast<int32_t>(std::clamp(std::round(zp), -128.0, 127.0));
  return p;
}

std::vector<int32_t> ChannelOfElement(const std::vector<int32_t>& shape, int32_t channel_axis) {
  int64_t n = 1;
  for (int32_t d : shape) n *= d;
  std::vector<int32_t> channel(static_cast<size_t>(n), 0);
  if (channel_axis < 0) return channel;
  int64_t inner = 1;
  for (size_t d = static_cast<size_t>(channel_axis) + 1; d < shape.size(); ++d) inner *= shape[d];
  const int64_t channels = shape[static_cast<size_t>(channel_axis)];
  for (int64_t i = 0; i < n; ++i)
    channel[static_cast<size_t>(i)] = static_cast<int32_t>((i / inner) % channels);
  return channel;
}

std::vector<float> SymmetricScales(const std::vector<float>& values,
                                   const std::vector<int32_t>& shape, int32_t channel_axis) {
  const int32_t channels = channel_axis < 0 ? 1 : shape[static_cast<size_t>(channel_axis)];
  std::vector<float> max_abs(static_cast<size_t>(channels), 0.0f);
  const std::vector<int32_t> channel = ChannelOfElement(shape, channel_axis);
  for (size_t i = 0; i < values.size(); ++i) {
    float& m = max_abs[static_cast<size_t>(channel[i])];
    m = std::max(m, std::fabs(values[i]));
  }
  std::vector<float> scales(max_abs.size());
  for (size_t c = 0; c < scales.size(); ++c)
    scales[c] = max_abs[c] > 0 ? max_abs[c] / 127.0f : 1e-6f;
  return scales;
}

bool RepresentableMultiplier(double m) {
  if (!(m > 0) || !std::isfinite(m)) return false;
  int exponent = 0;
  std::frexp(m, &exponent);
  return exponent >= -31 && exponent <= 30;
}

int8_t SaturateInt8(double v) {
  return static_cast<int8_t>(std::clamp(std::round(v), -128.0, 127.0));
}

}  // namespace compress
}  // namespace tv
