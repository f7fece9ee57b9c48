#include "compare/thumbnail.h"

#include <algorithm>
#include <cmath>

namespace tv {
namespace verify {

bool MakeThumbnail(const HostTensor& x, int32_t max_side, Thumbnail* out) {
  const auto& s = x.shape;
  const bool u8 = x.dtype == DataType::kUInt8;
  if ((!u8 && x.dtype != DataType::kFloat32) || (s.size() != 2 && s.size() != 3)) return false;
  const int64_t c = s.size() == 3 ? s[2] : 1;
  if (c != 1 && c != 3) return false;
  const int64_t h = s[0], w = s[1];
  if (h <= 0 || w <= 0) return false;
  const int64_t step = (std::max(h, w) + max_side - 1) / max_side;
  out->height = static_cast<int32_t>((h + step - 1) / step);
  out->width = static_cast<int32_t>((w + step - 1) / step);
  out->channels = static_cast<int32_t>(c);
  out->pixels.resize(static_cast<size_t>(out->height) * out->width * c);
  size_t k = 0;
  for (int64_t y = 0; y < h; y += step)
    for (int64_t xx = 0; xx < w; xx += step)
      for (int64_t ch = 0; ch < c; ++ch) {
        const int64_t i = (y * w + xx) * c + ch;
        if (u8) {
          out->pixels[k++] = x.As<uint8_t>()[i];
          continue;
        }
        const float p = x.As<float>()[i];
        out->pixels[k++] = static_cast<uint8_t>(std::isnan(p) ? 0 : std::clamp(p, 0.0f, 255.0f));
      }
  return true;
}

}  // namespace verify
}  // namespace tv
