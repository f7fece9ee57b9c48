// Sections of report.html (each returns a self-contained HTML fragment).
#ifndef TINYVERIFY_REPORTS_HTML_PARTS_H_
#define TINYVERIFY_REPORTS_HTML_PARTS_H_

#include <string>
#include <vector>

#include "compare/verify_result.h"
#include "reports/tables.h"

namespace tv {
namespace reports {

std::string HtmlTable(const std::vector<std::string>& header,
                      const std::vector<std::vector<std::string>>& rows,
                      const std::vector<bool>& bad_rows = {});
std::string HtmlMetricsSection(const verify::VerifyResult& r);
std::string HtmlGatesSection(const verify::VerifyResult& r);
std::string HtmlClassSection(const verify::VerifyResult& r);
std::string HtmlPlotsSection(const verify::VerifyResult& r);
std::string HtmlWorstSection(const verify::VerifyResult& r);
std::string HtmlCompressionSection(const verify::VerifyResult& r);
std::string HtmlSetupSection(const verify::VerifyResult& r);

}  // namespace reports
}  // namespace tv

#endif  // TINYVERIFY_REPORTS_HTML_PARTS_H_
