// Small inline-SVG charts for report.html. Each returns one <svg> element sized in pixels.
#ifndef TINYVERIFY_REPORTS_SVG_PLOTS_H_
#define TINYVERIFY_REPORTS_SVG_PLOTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "compare/verify_result.h"

namespace tv {
namespace reports {

// k x k counts as a heatmap (row-normalized shading, counts in cells when they fit).
std::string SvgHeatmap(const std::vector<int64_t>& counts, int k,
                       const std::vector<std::string>& names, const std::string& row_title,
                       const std::string& col_title);

struct Bar {
  std::string label;
  double value = 0.0;
  std::string note;  // tooltip
};
// Horizontal bars around zero; positive values red (worse), negative green.
std::string SvgDivergingBars(const std::vector<Bar>& bars, const std::string& unit);

// Reliability diagram: accuracy per confidence bin against the diagonal.
std::string SvgReliability(const std::vector<verify::CalibrationBin>& bins,
                           const std::string& title);

// Sample count per reference-margin bucket with the disagreeing part highlighted.
std::string SvgMarginHistogram(const std::vector<verify::MarginBucket>& buckets);

// Distribution of per-sample values over equal-width bins from 0 to the maximum.
std::string SvgHistogram(const std::vector<float>& values, const std::string& x_label);

// PNG data URI of a thumbnail ("" when it is empty or malformed).
std::string ThumbnailDataUri(const verify::Thumbnail& t);

}  // namespace reports
}  // namespace tv

#endif  // TINYVERIFY_REPORTS_SVG_PLOTS_H_
