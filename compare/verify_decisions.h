// Decisions the verify pipeline makes from the data and the models before the first sample
// runs; each is reported in the setup's decision list so the report says what was done.
#ifndef TINYVERIFY_COMPARE_VERIFY_DECISIONS_H_
#define TINYVERIFY_COMPARE_VERIFY_DECISIONS_H_

#include <string>
#include <vector>

#include "compare/dataset.h"
#include "compare/executor.h"
#include "compare/input_mapping.h"
#include "compare/model_info.h"

namespace tv {
namespace verify {

// Without --preprocess, uint8 pixels go in as 0..255 — unless the tiny model's input
// quantization can only represent a small range (e.g. scale 1/255: the model was trained on
// 0..1), where 0..255 would clip nearly every pixel. Then scale=1/255 is the least surprising
// choice; it is printed so the user can override it.
Preprocess DefaultPreprocess(const Dataset& ds, const Executor& tiny,
                             std::vector<std::string>* decisions);

// Non-null (the reason) when the model's first output is produced by a softmax: then its
// values are probabilities whatever one sample's row sums to.
const char* EndsInSoftmax(const ModelInfo& info);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_VERIFY_DECISIONS_H_
