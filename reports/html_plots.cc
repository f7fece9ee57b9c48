// Plot and gallery sections of report.html.
#include <algorithm>
#include <cmath>

#include "reports/format.h"
#include "reports/html_parts.h"
#include "reports/svg_plots.h"

namespace tv {
namespace reports {

using namespace verify;

namespace {

constexpr int kMaxHeatmapClasses = 60;
constexpr size_t kMaxBars = 30;

std::string Panel(const std::string& title, const std::string& body, const std::string& note = "") {
  return "<div class=\"panel\"><h3>" + EscapeXml(title) + "</h3>" + body +
         (note.empty() ? "" : "<p class=\"muted\">" + EscapeXml(note) + "</p>") + "</div>";
}

std::string VariantPlots(const VerifyResult& r, const VariantResult& v, bool with_reference) {
  std::string s;
  const int k = r.num_classes;
  if (r.task == TaskKind::kClassification && k <= kMaxHeatmapClasses) {
    s += "<div class=\"grid2\">";
    if (r.has_labels && with_reference) {
      s += Panel("Confusion: reference",
                 SvgHeatmap(r.ref_confusion, k, r.class_names, "label", "ref prediction"));
      s += Panel("Confusion: " + v.name,
                 SvgHeatmap(v.tiny_confusion, k, r.class_names, "label", "tiny prediction"));
    }
    s += Panel(
        "Disagreement: ref \u00d7 tiny prediction",
        SvgHeatmap(v.disagreement_confusion, k, r.class_names, "ref prediction", "tiny prediction"),
        "Off-diagonal cells are samples where the models disagree.");
    s += Panel("Disagreement by reference margin", SvgMarginHistogram(v.margin_buckets),
               "Low-margin samples are where quantization noise flips decisions.");
    s += "</div>";
  } else if (r.task == TaskKind::kClassification) {
    s += Panel("Disagreement by reference margin", SvgMarginHistogram(v.margin_buckets),
               std::to_string(k) + " classes: confusion heatmaps omitted (see report.json).");
  }
  if (r.task == TaskKind::kClassification && r.has_labels) {
    std::vector<ClassStats> cls;
    for (const ClassStats& c : v.per_class) {
      if (c.support > 0) cls.push_back(c);
    }
    std::stable_sort(cls.begin(), cls.end(), [](const ClassStats& a, const ClassStats& b) {
      return std::fabs(a.recall_drop_pp) > std::fabs(b.recall_drop_pp);
    });
    const bool cut = cls.size() > kMaxBars;
    if (cut) cls.resize(kMaxBars);
    std::vector<Bar> bars;
    for (const ClassStats& c : cls) {
      bars.push_back({c.name, c.recall_drop_pp,
                      c.name + ": recall " + Percent(c.ref_recall, 1) + " \u2192 " +
                          Percent(c.tiny_recall, 1) + " (support " + std::to_string(c.support) +
                          ")"});
    }
    s += "<div class=\"grid2\">";
    s += Panel("Per-class recall drop (pp)", SvgDivergingBars(bars, "pp"),
               cut ? "The " + std::to_string(kMaxBars) + " classes with the largest change." : "");
    s += Panel(
        "Reliability",
        "<div style=\"display:flex;gap:8px;flex-wrap:wrap\">" +
            SvgReliability(r.ref.calibration, "reference (ECE " + Fixed(r.ref.ece, 3) + ")") +
            SvgReliability(v.tiny.calibration, v.name + " (ECE " + Fixed(v.tiny.ece, 3) + ")") +
            "</div>",
        "Bars: accuracy per confidence bin; dashed: perfect calibration.");
    s += "</div>";
  }
  return s;
}

// Per-sample divergence distributions, read back from the samples.csv rows.
std::string DivergencePlots(const VerifyResult& r, size_t variant) {
  std::vector<float> max_abs, kl;
  for (const SampleRow& row : r.samples) {
    if (variant >= row.tiny.size()) continue;
    max_abs.push_back(row.tiny[variant].max_abs_diff);
    kl.push_back(row.tiny[variant].kl);
  }
  if (max_abs.empty()) return "";
  std::string s = "<div class=\"grid2\">";
  s += Panel("Per-sample max |ref \u2212 tiny|",
             SvgHistogram(max_abs, "max |ref \u2212 tiny| per sample"));
  if (r.task == TaskKind::kClassification) {
    s += Panel("Per-sample KL(ref \u2016 tiny)", SvgHistogram(kl, "KL divergence per sample"));
  }
  return s + "</div>";
}

}  // namespace

std::string HtmlPlotsSection(const VerifyResult& r) {
  if (r.variants.empty()) return "";
  std::string s = "<h2>Plots</h2>";
  for (size_t v = 0; v < r.variants.size(); ++v) {
    if (r.variants.size() > 1) s += "<h3>" + EscapeXml(r.variants[v].name) + "</h3>";
    s += VariantPlots(r, r.variants[v], /*with_reference=*/v == 0);
    s += DivergencePlots(r, v);
  }
  return s;
}

std::string HtmlWorstSection(const VerifyResult& r) {
  std::string s;
  for (const VariantResult& v : r.variants) {
    if (v.worst.empty()) continue;
    s += "<h2>Worst samples: " + EscapeXml(v.name) + "</h2>";
    const bool cls = r.task == TaskKind::kClassification;
    const bool thumbs = std::any_of(v.worst.begin(), v.worst.end(), [](const WorstSample& w) {
      return !w.thumbnail.pixels.empty();
    });
    if (thumbs) {
      s += "<div class=\"thumbs\">";
      for (const WorstSample& w : v.worst) {
        const std::string uri = ThumbnailDataUri(w.thumbnail);
        s += "<div class=\"thumb\">";
        s +=
            uri.empty()
                ? "<svg viewBox=\"0 0 1 1\"><rect width=\"1\" height=\"1\" fill=\"#eaeef2\"/></svg>"
                : "<img alt=\"sample " + EscapeXml(w.id) + "\" src=\"" + uri + "\">";
        s += "<div><b>" + EscapeXml(w.id) + "</b></div>";
        if (cls) {
          auto name = [&](int64_t c) {
            return c >= 0 && c < r.num_classes ? r.class_names[static_cast<size_t>(c)]
                                               : std::string("-");
          };
          s += "<div>label " + EscapeXml(name(w.label)) + "</div><div>ref " +
               EscapeXml(name(w.ref_pred)) + " (" + Fixed(w.ref_conf, 2) + ")</div><div>tiny " +
               EscapeXml(name(w.tiny_pred)) + " (" + Fixed(w.tiny_conf, 2) + ")</div>";
        } else {
          s += "<div>max |diff| " + Fixed(w.max_abs_diff, 4) + "</div>";
        }
        s += "</div>";
      }
      s += "</div>";
    } else {
      std::vector<std::vector<std::string>> rows;
      for (const WorstSample& w : v.worst) {
        rows.push_back({w.id, w.label >= 0 ? std::to_string(w.label) : "",
                        cls ? std::to_string(w.ref_pred) : "",
                        cls ? std::to_string(w.tiny_pred) : "", cls ? Fixed(w.ref_conf, 3) : "",
                        cls ? Fixed(w.tiny_conf, 3) : "", Fixed(w.max_abs_diff, 4),
                        cls ? Fixed(w.kl, 4) : ""});
      }
      s += HtmlTable({"id", "label", "ref", "tiny", "ref conf", "tiny conf", "max |diff|", "KL"},
                     rows);
    }
  }
  return s;
}

}  // namespace reports
}  // namespace tv
