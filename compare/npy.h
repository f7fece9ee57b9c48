// NumPy .npy reading and writing (format versions 1.0–3.0, C order, little-endian numeric and
// bool dtypes). Written by hand: no Debian C++ library reads .npy.
#ifndef TINYVERIFY_COMPARE_NPY_H_
#define TINYVERIFY_COMPARE_NPY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "compare/host_tensor.h"
#include "emulator/status.h"

namespace tv {

// Parses .npy bytes. Errors describe the problem (the caller prefixes the file name).
[[nodiscard]] Status ParseNpy(const uint8_t* data, size_t size, HostTensor* out);
// Parses the header dict text ("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }").
[[nodiscard]] Status ParseNpyHeader(const std::string& header, DataType* type,
                                    std::vector<int64_t>* shape);
[[nodiscard]] Status ReadNpy(const std::string& path, HostTensor* out);
[[nodiscard]] Status WriteNpy(const std::string& path, const HostTensor& tensor);
std::string EncodeNpy(const HostTensor& tensor);

// numpy descr ("<f4", "|i1", ...) for a dtype; empty when numpy has no equivalent.
std::string NpyDescr(DataType t);

}  // namespace tv

#endif  // TINYVERIFY_COMPARE_NPY_H_
