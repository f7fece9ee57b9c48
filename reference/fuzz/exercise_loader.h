// The body shared by the libFuzzer target and the deterministic mutation test: load arbitrary
// bytes as a model and, if that succeeds, run it once on zero-filled inputs. Must never crash.
#ifndef TINYVERIFY_REFERENCE_FUZZ_EXERCISE_LOADER_H_
#define TINYVERIFY_REFERENCE_FUZZ_EXERCISE_LOADER_H_

#include <cstddef>
#include <cstdint>

namespace tv {
namespace ref {

// Returns true when the bytes loaded as a model (whether or not the run succeeded).
bool ExerciseLoader(const uint8_t* data, size_t size);

}  // namespace ref
}  // namespace tv

#endif  // TINYVERIFY_REFERENCE_FUZZ_EXERCISE_LOADER_H_
