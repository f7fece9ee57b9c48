// report.html: one self-contained page (inline CSS and SVG, no scripts, no external assets).
#include <algorithm>

#include "reports/format.h"
#include "reports/html_parts.h"
#include "reports/report_writer.h"
#include "reports/tables.h"

namespace tv {
namespace reports {

using namespace verify;

namespace {

const char* kCss = R"(
*{box-sizing:border-box}
body{font:14px/1.45 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;
background:#f6f8fa;margin:0}
main{max-width:1180px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;padding-bottom:6px;
border-bottom:1px solid #d0d7de}h3{font-size:14px;margin:14px 0 6px;color:#57606a}
.sub{color:#57606a;margin-bottom:16px}
.badge{display:inline-block;padding:3px 10px;border-radius:12px;font-weight:600;font-size:13px;
vertical-align:middle;margin-left:8px}
.pass{background:#dafbe1;color:#1a7f37}.fail{background:#ffebe9;color:#cf222e}
.neutral{background:#eaeef2;color:#57606a}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(170px,1fr));gap:12px}
.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 14px}
.card .k{color:#57606a;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card .v{font-size:22px;font-weight:600;margin-top:2px}.card .d{color:#57606a;font-size:12px}
.card.bad{border-color:#ff8182;border-left:4px solid #cf222e}.card.good{border-color:#4ac26b;border-left:4px solid #1a7f37}
.card.gate .k{text-transform:none;letter-spacing:0;font-family:ui-monospace,Menlo,monospace}
.panel svg{max-width:100%;height:auto}
details{margin:8px 0}summary{cursor:pointer;color:#0969da}
table{border-collapse:collapse;background:#fff;border:1px solid #d0d7de;border-radius:6px;
font-size:13px;margin:6px 0}
th,td{padding:5px 10px;border-bottom:1px solid #eaeef2;text-align:right;white-space:nowrap}
th{background:#f6f8fa;font-weight:600;white-space:normal;vertical-align:bottom;
overflow-wrap:anywhere;min-width:64px;max-width:150px}
.tw{max-width:100%;overflow-x:auto}th:first-child,td:first-child{text-align:left}
tr.bad td{background:#fff5f5}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.panel{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px;overflow-x:auto}
.thumbs{display:flex;flex-wrap:wrap;gap:10px}
.thumb{background:#fff;border:1px solid #d0d7de;border-radius:6px;padding:6px;font-size:11px;
width:132px}.thumb img,.thumb svg{display:block;width:120px;height:120px;image-rendering:pixelated}
.muted{color:#57606a}code{font-size:12px}ul.dec{margin:4px 0;padding-left:18px;color:#57606a}
)";

std::string Card(const std::string& key, const std::string& value, const std::string& detail,
                 const std::string& cls = "") {
  return "<div class=\"card " + cls + "\"><div class=\"k\">" + EscapeXml(key) +
         "</div><div class=\"v\">" + EscapeXml(value) + "</div><div class=\"d\">" +
         EscapeXml(detail) + "</div></div>";
}

std::string Cards(const VerifyResult& r) {
  std::string s = "<div class=\"cards\">";
  for (const GateResult& g : r.gates) {
    std::string vals;
    for (size_t v = 0; v < g.values.size(); ++v) vals += (v ? " / " : "") + GateValueText(g, v);
    s += Card(g.spec, g.passed ? "pass" : "FAIL",
              (g.values.size() > 1 ? "values " : "value ") + vals,
              std::string("gate ") + (g.passed ? "good" : "bad"));
  }
  if (r.variants.empty()) return s + "</div>";
  const VariantResult& v = r.variants[0];
  if (r.variants.size() > 1) {
    // The headline cards describe one model; say which, the tables cover every variant.
    s += "</div><p class=\"muted\">Cards below: first tiny model <code>" + EscapeXml(v.name) +
         "</code>; every variant is in the tables.</p><div class=\"cards\">";
  }
  if (HasAccuracy(r)) {
    s += Card("top-1 ref / tiny", Percent(r.ref.top1, 1) + " / " + Percent(v.tiny.top1, 1),
              "drop " + Pp(v.top1_drop_pp) + " [" + Fixed(v.top1_drop_ci95_pp.lo, 2) + ", " +
                  Fixed(v.top1_drop_ci95_pp.hi, 2) + "]");
  }
  if (r.task == TaskKind::kClassification) {
    s += Card("agreement", Percent(v.agreement, 2), "kappa " + Fixed(v.kappa, 3));
  }
  if (HasAccuracy(r)) {
    s += Card("flips", Count(v.ref_right_tiny_wrong) + " / " + Count(v.ref_wrong_tiny_right),
              "ref right->tiny wrong / reverse; McNemar p " + PValue(v.mcnemar_p));
    s += Card("high-conf flips", Count(v.high_conf_flips),
              "tiny wrong with p >= " + Fixed(r.config.high_conf_threshold, 2),
              v.high_conf_flips ? "bad" : "");
  } else if (r.task == TaskKind::kRegression) {
    s += Card("MAE vs ref", Fixed(v.regression.mae, 5), "RMSE " + Fixed(v.regression.rmse, 5));
    s += Card("max error", Fixed(v.regression.max_error, 5),
              "cosine " + Fixed(v.regression.cosine, 5));
  }
  s += Card("output SNR", Fixed(v.divergence.snr_db, 1) + " dB",
            "max |diff| " + Fixed(v.divergence.max_abs_diff, 4));
  return s + "</div>";
}

}  // namespace

std::string RenderHtml(const VerifyResult& r) {
  std::string s = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  s += "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">";
  s +=
      "<title>tinyverify report</title><style>" + std::string(kCss) + "</style></head><body><main>";
  std::string badge = r.gates.empty() ? "<span class=\"badge neutral\">no gates</span>"
                      : r.passed      ? "<span class=\"badge pass\">PASS</span>"
                                      : "<span class=\"badge fail\">FAIL</span>";
  s += "<h1>tinyverify fidelity report" + badge + "</h1>";
  std::string sub = Count(r.n) + " samples &middot; " + TaskName(r.task);
  if (r.task == TaskKind::kClassification)
    sub += " &middot; " + std::to_string(r.num_classes) + " classes";
  if (!r.setup.data_path.empty())
    sub += " &middot; data <code>" + EscapeXml(r.setup.data_path) + "</code>";
  sub += " &middot; ref <code>" +
         EscapeXml(r.setup.ref.name.empty() ? r.setup.ref.path : r.setup.ref.name) + "</code>";
  s += "<div class=\"sub\">" + sub + "</div>";
  s += Cards(r);
  s += HtmlMetricsSection(r);
  s += HtmlGatesSection(r);
  s += HtmlClassSection(r);
  s += HtmlPlotsSection(r);
  s += HtmlWorstSection(r);
  s += HtmlCompressionSection(r);
  s += HtmlSetupSection(r);
  s += "<p class=\"muted\">Schema " + EscapeXml(r.schema) +
       " &middot; generated by tinyverify</p></main></body></html>\n";
  return s;
}

}  // namespace reports
}  // namespace tv
