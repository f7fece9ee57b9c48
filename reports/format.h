// Number and text formatting shared by the report writers.
#ifndef TINYVERIFY_REPORTS_FORMAT_H_
#define TINYVERIFY_REPORTS_FORMAT_H_

#include <cstdint>
#include <string>

#include "compare/verify_result.h"

namespace tv {
namespace reports {

std::string Fixed(double v, int decimals);               // "inf"/"-inf"/"nan" for non-finite
std::string Percent(double fraction, int decimals = 2);  // 0.9123 -> "91.23%"
std::string Pp(double pp, int decimals = 2);             // signed: "+0.40 pp"
std::string PValue(double p);                            // "0.0123" or "1.2e-08"
std::string Bytes(uint64_t bytes);                       // "12.3 KiB"
std::string Count(int64_t n);                            // "12,345"
std::string TaskName(verify::TaskKind t);
std::string EscapeXml(const std::string& s);  // also used for HTML
std::string EscapeCsv(const std::string& s);
// Whether classification accuracy metrics exist (classification with labels).
bool HasAccuracy(const verify::VerifyResult& r);

}  // namespace reports
}  // namespace tv

#endif  // TINYVERIFY_REPORTS_FORMAT_H_
