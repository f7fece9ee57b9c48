// The JSON form of a model's inspect data: what `tinyverify inspect --json` prints and what
// the Python binding's Model.inspect() parses, so both stay identical.
#ifndef TINYVERIFY_REPORTS_MODEL_INFO_JSON_H_
#define TINYVERIFY_REPORTS_MODEL_INFO_JSON_H_

#include <string>

#include "compare/model_info.h"

namespace tv {
namespace reports {

// Pretty-printed (2-space indent) JSON object, no trailing newline.
std::string ModelInfoToJson(const ModelInfo& info);

}  // namespace reports
}  // namespace tv

#endif  // TINYVERIFY_REPORTS_MODEL_INFO_JSON_H_
