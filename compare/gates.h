// Gate metrics: the names `--gate` accepts and how each is read from a variant's result.
// EvaluateGates itself is declared in compare/analysis.h.
#ifndef TINYVERIFY_COMPARE_GATES_H_
#define TINYVERIFY_COMPARE_GATES_H_

#include <string>
#include <vector>

#include "compare/verify_result.h"

namespace tv {
namespace verify {

struct GateMetric {
  const char* name;
  const char* unit;         // "pp", "fraction", "count", "dB", "value"
  const char* description;  // one line, for docs and --help
};

// Every metric a gate may name, in documentation order.
const std::vector<GateMetric>& GateMetrics();

// Reads `metric` of variant `v`; an error when the metric is unknown or does not apply to
// this run (e.g. top1_drop without labels, mae on a classification run).
[[nodiscard]] Status GateValue(const VerifyResult& r, size_t v, const std::string& metric,
                               double* value);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_GATES_H_
