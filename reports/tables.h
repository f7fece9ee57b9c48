// The headline metric table shared by the text summary, report.md and report.html: one row
// per metric, a reference column and one column per tiny variant.
#ifndef TINYVERIFY_REPORTS_TABLES_H_
#define TINYVERIFY_REPORTS_TABLES_H_

#include <string>
#include <vector>

#include "compare/verify_result.h"

namespace tv {
namespace reports {

struct MetricRow {
  std::string label;
  std::string ref;                    // empty when the metric is not about the reference
  std::vector<std::string> variants;  // one cell per tiny variant
};

std::vector<MetricRow> HeadlineRows(const verify::VerifyResult& r);
std::vector<MetricRow> CompressionRows(const verify::VerifyResult& r);

// The value of gate `g` for variant `v` formatted in the metric's unit.
std::string GateValueText(const verify::GateResult& g, size_t v);

// The device table (tiny variants run with --target cortex-m*): flash, arena RAM, stack
// high-water mark, instructions per inference and the latency estimate. False when no variant
// ran on a device.
bool DeviceTable(const verify::VerifyResult& r, std::vector<std::string>* header,
                 std::vector<std::vector<std::string>>* rows);

// Renders rows as a space-aligned plain-text table with a header line.
std::string TextTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace reports
}  // namespace tv

#endif  // TINYVERIFY_REPORTS_TABLES_H_
