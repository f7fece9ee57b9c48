#include "reports/svg_plots.h"

#include <stb/stb_image_write.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "reports/format.h"

namespace tv {
namespace reports {

using namespace verify;

namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f", v);
  return buf;
}

std::string Text(double x, double y, const std::string& s, const std::string& extra = "") {
  return "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" " + extra + ">" + EscapeXml(s) +
         "</text>";
}

std::string Rect(double x, double y, double w, double h, const std::string& fill,
                 const std::string& title = "") {
  std::string s = "<rect x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" width=\"" + Num(w) +
                  "\" height=\"" + Num(h) + "\" fill=\"" + fill + "\"";
  if (title.empty()) return s + "/>";
  return s + "><title>" + EscapeXml(title) + "</title></rect>";
}

std::string Open(int w, int h) {
  return "<svg width=\"" + std::to_string(w) + "\" height=\"" + std::to_string(h) +
         "\" viewBox=\"0 0 " + std::to_string(w) + " " + std::to_string(h) +
         "\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">";
}

// White -> blue ramp for t in 0..1.
std::string Blue(double t) {
  t = std::min(1.0, std::max(0.0, t));
  const int r = static_cast<int>(255 - t * (255 - 9));
  const int g = static_cast<int>(255 - t * (255 - 105));
  const int b = static_cast<int>(255 - t * (255 - 218));
  char buf[16];
  std::snprintf(buf, sizeof(buf), "#%02x%02x%02x", r, g, b);
  return buf;
}

std::string Truncate(const std::string& s, size_t n) {
  return s.size() <= n ? s : s.substr(0, n - 1) + "\u2026";
}

}  // namespace

std::string SvgHeatmap(const std::vector<int64_t>& counts, int k,
                       const std::vector<std::string>& names, const std::string& row_title,
                       const std::string& col_title) {
  const double cell = std::max(6.0, std::min(30.0, 420.0 / std::max(1, k)));
  const double left = 96, top = 40, size = cell * k;
  const int w = static_cast<int>(left + size + 10), h = static_cast<int>(top + size + 10);
  std::string s = Open(w, h);
  s += Text(left + size / 2, 14, col_title + " \u2192", "text-anchor=\"middle\" fill=\"#57606a\"");
  s += Text(12, top + size / 2, row_title + " \u2192",
            "text-anchor=\"middle\" fill=\"#57606a\" transform=\"rotate(-90 12 " +
                Num(top + size / 2) + ")\"");
  const bool labels = cell >= 12;
  for (int i = 0; i < k; ++i) {
    int64_t row_sum = 0;
    for (int j = 0; j < k; ++j) row_sum += counts[static_cast<size_t>(i * k + j)];
    if (labels) {
      const std::string name = Truncate(names[static_cast<size_t>(i)], 12);
      s += Text(left - 4, top + cell * i + cell * 0.7, name, "text-anchor=\"end\"");
      s += Text(left + cell * i + cell * 0.5, top - 4, std::to_string(i), "text-anchor=\"middle\"");
    }
    for (int j = 0; j < k; ++j) {
      const int64_t c = counts[static_cast<size_t>(i * k + j)];
      const double t = row_sum > 0 ? static_cast<double>(c) / static_cast<double>(row_sum) : 0.0;
      // Square root so small off-diagonal counts stay visible next to the diagonal.
      const std::string fill = c == 0 ? "#ffffff" : Blue(0.08 + 0.92 * std::sqrt(t));
      s += Rect(left + cell * j, top + cell * i, cell - 1, cell - 1, fill,
                names[static_cast<size_t>(i)] + " \u2192 " + names[static_cast<size_t>(j)] + ": " +
                    std::to_string(c));
      if (cell >= 24 && c > 0) {
        s += Text(left + cell * j + cell / 2 - 0.5, top + cell * i + cell * 0.62,
                  c >= 1000 ? Num(static_cast<double>(c) / 1000.0) + "k" : std::to_string(c),
                  std::string("text-anchor=\"middle\" font-size=\"9\" fill=\"") +
                      (t > 0.5 ? "#fff" : "#1f2328") + "\"");
      }
    }
  }
  return s + "</svg>";
}

std::string SvgDivergingBars(const std::vector<Bar>& bars, const std::string& unit) {
  const double row = 18, left = 120, width = 300, top = 22;
  double extent = 1.0;
  for (const Bar& b : bars) extent = std::max(extent, std::fabs(b.value));
  const int h = static_cast<int>(top + row * bars.size() + 8);
  std::string s = Open(static_cast<int>(left + width + 70), h);
  const double zero = left + width / 2;
  s += "<line x1=\"" + Num(zero) + "\" y1=\"" + Num(top - 4) + "\" x2=\"" + Num(zero) + "\" y2=\"" +
       Num(h - 4) + "\" stroke=\"#8c959f\"/>";
  s += Text(zero, 12, "0 " + unit, "text-anchor=\"middle\" fill=\"#57606a\"");
  s += Text(left + width, 12, "worse \u2192", "text-anchor=\"end\" fill=\"#cf222e\"");
  s += Text(left, 12, "\u2190 better", "fill=\"#1a7f37\"");
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    const double y = top + row * i;
    const double len = std::fabs(b.value) / extent * (width / 2);
    const double x = b.value >= 0 ? zero : zero - len;
    s += Text(left - 6, y + row * 0.65, Truncate(b.label, 18), "text-anchor=\"end\"");
    s += Rect(x, y + 3, std::max(len, 0.5), row - 6, b.value > 0 ? "#f47068" : "#4ac26b", b.note);
    const double tx = b.value >= 0 ? zero + len + 4 : zero + 4;
    s += Text(tx, y + row * 0.65, Fixed(b.value, 1), "fill=\"#57606a\"");
  }
  return s + "</svg>";
}

std::string SvgReliability(const std::vector<CalibrationBin>& bins, const std::string& title) {
  const double left = 40, top = 24, size = 200;
  std::string s = Open(static_cast<int>(left + size + 16), static_cast<int>(top + size + 34));
  s += Text(left + size / 2, 14, title, "text-anchor=\"middle\" font-weight=\"600\"");
  s += Rect(left, top, size, size, "#f6f8fa");
  for (int t = 0; t <= 4; ++t) {
    const double f = t / 4.0;
    s += Text(left - 4, top + size - f * size + 4, Fixed(f, 2),
              "text-anchor=\"end\" font-size=\"9\"");
    s += Text(left + f * size, top + size + 12, Fixed(f, 2),
              "text-anchor=\"middle\" font-size=\"9\"");
  }
  const double bw = size / std::max<size_t>(1, bins.size());
  for (size_t i = 0; i < bins.size(); ++i) {
    const CalibrationBin& b = bins[i];
    if (b.count == 0) continue;
    const double h = b.accuracy * size;
    s += Rect(left + bw * i + 1, top + size - h, bw - 2, h, "#54aeff",
              "confidence " + Fixed(b.lo, 1) + "-" + Fixed(b.hi, 1) + ": accuracy " +
                  Percent(b.accuracy, 1) + " over " + std::to_string(b.count) + " samples");
  }
  s += "<line x1=\"" + Num(left) + "\" y1=\"" + Num(top + size) + "\" x2=\"" + Num(left + size) +
       "\" y2=\"" + Num(top) + "\" stroke=\"#cf222e\" stroke-dasharray=\"4 3\"/>";
  s += Text(left + size / 2, top + size + 28, "confidence",
            "text-anchor=\"middle\" fill=\"#57606a\"");
  return s + "</svg>";
}

std::string SvgMarginHistogram(const std::vector<MarginBucket>& buckets) {
  const double left = 46, top = 34, width = 340, height = 160;
  int64_t peak = 1;
  for (const MarginBucket& b : buckets) peak = std::max(peak, b.count);
  std::string s = Open(static_cast<int>(left + width + 10), static_cast<int>(top + height + 40));
  s += Rect(left, 4, 10, 10, "#8c959f") + Text(left + 14, 13, "agree");
  s += Rect(left + 60, 4, 10, 10, "#f47068") + Text(left + 74, 13, "disagree (rate above bar)");
  const double bw = width / std::max<size_t>(1, buckets.size());
  for (size_t i = 0; i < buckets.size(); ++i) {
    const MarginBucket& b = buckets[i];
    const double x = left + bw * i;
    const double h = static_cast<double>(b.count) / peak * height;
    const double hd = static_cast<double>(b.disagree) / peak * height;
    const std::string tip = "margin " + Fixed(b.lo, 2) + "-" + Fixed(b.hi, 2) + ": " +
                            std::to_string(b.disagree) + " of " + std::to_string(b.count) +
                            " disagree";
    s += Rect(x + 2, top + height - h, bw - 4, h - hd, "#8c959f", tip);
    s += Rect(x + 2, top + height - hd, bw - 4, hd, "#f47068", tip);
    const std::string rate =
        b.count ? Percent(static_cast<double>(b.disagree) / static_cast<double>(b.count), 1) : "-";
    s += Text(x + bw / 2, top + height - h - 3, rate, "text-anchor=\"middle\" font-size=\"9\"");
    s += Text(x + bw / 2, top + height + 13, Fixed(b.lo, 2) + "\u2013" + Fixed(b.hi, 2),
              "text-anchor=\"middle\" font-size=\"9\"");
  }
  s += Text(left + width / 2, top + height + 30, "reference top-1 margin (p1 \u2212 p2)",
            "text-anchor=\"middle\" fill=\"#57606a\"");
  s += Text(left - 6, top + 4, Count(peak), "text-anchor=\"end\" font-size=\"9\"");
  s += Text(left - 6, top + height, "0", "text-anchor=\"end\" font-size=\"9\"");
  return s + "</svg>";
}

std::string SvgHistogram(const std::vector<float>& values, const std::string& x_label) {
  constexpr int kBins = 24;
  const double left = 46, top = 14, width = 340, height = 130;
  double hi = 0.0;
  for (float v : values) {
    if (std::isfinite(v)) hi = std::max(hi, static_cast<double>(v));
  }
  if (hi <= 0.0) hi = 1.0;
  std::vector<int64_t> count(kBins, 0);
  for (float v : values) {
    if (!std::isfinite(v)) continue;
    const int b = std::min(kBins - 1, std::max(0, static_cast<int>(v / hi * kBins)));
    ++count[static_cast<size_t>(b)];
  }
  const int64_t peak = std::max<int64_t>(1, *std::max_element(count.begin(), count.end()));
  std::string s = Open(static_cast<int>(left + width + 14), static_cast<int>(top + height + 34));
  const double bw = width / kBins;
  for (int b = 0; b < kBins; ++b) {
    const double h = static_cast<double>(count[static_cast<size_t>(b)]) / peak * height;
    s += Rect(left + bw * b + 0.5, top + height - h, bw - 1, h, "#54aeff",
              Fixed(hi * b / kBins, 4) + "-" + Fixed(hi * (b + 1) / kBins, 4) + ": " +
                  std::to_string(count[static_cast<size_t>(b)]) + " samples");
  }
  s += "<line x1=\"" + Num(left) + "\" y1=\"" + Num(top + height) + "\" x2=\"" + Num(left + width) +
       "\" y2=\"" + Num(top + height) + "\" stroke=\"#8c959f\"/>";
  s += Text(left, top + height + 12, "0", "text-anchor=\"middle\" font-size=\"9\"");
  s +=
      Text(left + width, top + height + 12, Fixed(hi, 4), "text-anchor=\"middle\" font-size=\"9\"");
  s +=
      Text(left + width / 2, top + height + 28, x_label, "text-anchor=\"middle\" fill=\"#57606a\"");
  s += Text(left - 6, top + 4, Count(peak), "text-anchor=\"end\" font-size=\"9\"");
  s += Text(left - 6, top + height, "0", "text-anchor=\"end\" font-size=\"9\"");
  return s + "</svg>";
}

namespace {

void AppendBytes(void* context, void* data, int size) {
  auto* out = static_cast<std::string*>(context);
  out->append(static_cast<const char*>(data), static_cast<size_t>(size));
}

std::string Base64(const std::string& in) {
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (static_cast<uint8_t>(in[i]) << 16) |
                       (static_cast<uint8_t>(in[i + 1]) << 8) | static_cast<uint8_t>(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(v >> s) & 63];
  }
  if (i < in.size()) {
    uint32_t v = static_cast<uint8_t>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<uint8_t>(in[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

}  // namespace

std::string ThumbnailDataUri(const Thumbnail& t) {
  if (t.height <= 0 || t.width <= 0 || (t.channels != 1 && t.channels != 3)) return "";
  if (t.height > 4096 || t.width > 4096) return "";
  const size_t expected = static_cast<size_t>(t.height) * t.width * t.channels;
  if (t.pixels.size() != expected) return "";
  std::string png;
  if (!stbi_write_png_to_func(AppendBytes, &png, t.width, t.height, t.channels, t.pixels.data(),
                              t.width * t.channels)) {
    return "";
  }
  return "data:image/png;base64," + Base64(png);
}

}  // namespace reports
}  // namespace tv
