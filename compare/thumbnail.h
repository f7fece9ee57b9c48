// Report thumbnails of image samples. The pipeline hands the analysis a pointer to each raw
// sample; only the few samples that enter a worst-N list are ever thumbnailed.
#ifndef TINYVERIFY_COMPARE_THUMBNAIL_H_
#define TINYVERIFY_COMPARE_THUMBNAIL_H_

#include <cstdint>

#include "compare/analysis.h"
#include "compare/host_tensor.h"

namespace tv {
namespace verify {

// Greyscale/RGB thumbnail (longest side <= max_side, nearest neighbour) of an image sample
// [H, W] or [H, W, C] with values 0..255; false when the sample is not image-like.
bool MakeThumbnail(const HostTensor& x, int32_t max_side, Thumbnail* out);

// Longest side of the thumbnails in the report's worst-N gallery.
constexpr int32_t kThumbnailSide = 64;

}  // namespace verify
}  // namespace tv

#endif  // TINYVERIFY_COMPARE_THUMBNAIL_H_
