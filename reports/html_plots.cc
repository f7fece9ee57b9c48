// Plot sections of report.html, drawn as inline SVG.
#include "reports/format.h"
#include "reports/html_parts.h"

namespace tv {
namespace reports {

using namespace verify;

std::string HtmlPlotsSection(const VerifyResult& r) { return ""; }

std::string HtmlWorstSection(const VerifyResult& r) {
  if (r.variants.empty() || r.variants[0].worst.empty()) return "";
  const VariantResult& v = r.variants[0];
  std::vector<std::vector<std::string>> rows;
  for (const WorstSample& w : v.worst) {
    rows.push_back({w.id, w.label >= 0 ? std::to_string(w.label) : "",
                    w.ref_pred >= 0 ? std::to_string(w.ref_pred) : "",
                    w.tiny_pred >= 0 ? std::to_string(w.tiny_pred) : "", Fixed(w.ref_conf, 3),
                    Fixed(w.tiny_conf, 3), Fixed(w.max_abs_diff, 4), Fixed(w.kl, 4)});
  }
  return "<h2>Worst samples (" + EscapeXml(v.name) + ")</h2>" +
         HtmlTable({"id", "label", "ref", "tiny", "ref conf", "tiny conf", "max |diff|", "KL"},
                   rows);
}

}  // namespace reports
}  // namespace tv
