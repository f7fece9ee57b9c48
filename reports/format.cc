#include "reports/format.h"

#include <cmath>
#include <cstdio>

namespace tv {
namespace reports {

std::string Fixed(double v, int decimals) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", decimals, v);
  return buf;
}

std::string Percent(double fraction, int decimals) {
  return Fixed(fraction * 100.0, decimals) + "%";
}

std::string Pp(double pp, int decimals) {
  return (pp >= 0 ? "+" : "") + Fixed(pp, decimals) + " pp";
}

std::string PValue(double p) {
  char buf[32];
  if (p != 0.0 && p < 1e-4) {
    std::snprintf(buf, sizeof(buf), "%.1e", p);
  } else {
    std::snprintf(buf, sizeof(buf), "%.4f", p);
  }
  return buf;
}

std::string Bytes(uint64_t bytes) {
  char buf[32];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof(buf), "%llu B", static_cast<unsigned long long>(bytes));
  } else if (bytes < 1024ull * 1024) {
    std::snprintf(buf, sizeof(buf), "%.1f KiB", static_cast<double>(bytes) / 1024.0);
  } else {
    std::snprintf(buf, sizeof(buf), "%.2f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  }
  return buf;
}

std::string Count(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (n < 0 ? "-" : "") + out;
}

std::string TaskName(verify::TaskKind t) {
  switch (t) {
    case verify::TaskKind::kClassification:
      return "classification";
    case verify::TaskKind::kRegression:
      return "regression";
    default:
      return "auto";
  }
}

std::string EscapeXml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        // Control characters are not allowed in XML 1.0; replace them.
        if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') {
          out += '?';
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string EscapeCsv(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

bool HasAccuracy(const verify::VerifyResult& r) {
  return r.task == verify::TaskKind::kClassification && r.has_labels;
}

}  // namespace reports
}  // namespace tv
