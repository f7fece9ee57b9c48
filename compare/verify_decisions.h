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

// True when the reference reproduces its input: as many output values as input values (more
// than 2) and no softmax at the end — an autoencoder such as MLPerf Tiny's anomaly detector.
// Its outputs are not class scores, so the run is a regression (fidelity of the reconstruction)
// and a sample's anomaly score is its reconstruction error.
bool IsReconstruction(const TensorSpec& ref_input, size_t ref_output_values,
                      const ModelInfo& ref_info);

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_VERIFY_DECISIONS_H_
