// Report writers for `tinyverify verify`: read a VerifyResult, never change it.
// WriteAll produces report.json, samples.csv, report.md, report.html and junit.xml in one
// directory; the Render* functions return each document as text (used by WriteAll and tests).
#ifndef TINYVERIFY_REPORTS_REPORT_WRITER_H_
#define TINYVERIFY_REPORTS_REPORT_WRITER_H_

#include <string>

#include "compare/verify_result.h"
#include "emulator/status.h"

namespace tv {
namespace reports {

// Creates `dir` (and parents) if needed and writes every report file into it.
[[nodiscard]] Status WriteAll(const verify::VerifyResult& r, const std::string& dir);

// The plain-text summary table the CLI prints.
std::string RenderSummary(const verify::VerifyResult& r);

std::string RenderJson(const verify::VerifyResult& r);        // report.json
std::string RenderSamplesCsv(const verify::VerifyResult& r);  // samples.csv
std::string RenderMarkdown(const verify::VerifyResult& r);    // report.md
std::string RenderHtml(const verify::VerifyResult& r);        // report.html
std::string RenderJunit(const verify::VerifyResult& r);       // junit.xml

}  // namespace reports
}  // namespace tv

#endif  // TINYVERIFY_REPORTS_REPORT_WRITER_H_
