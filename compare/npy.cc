#include "compare/npy.h"

#include <cstring>

#include "compare/file_io.h"

namespace tv {

namespace {

constexpr char kMagic[] = "\x93NUMPY";
constexpr int64_t kMaxElements = int64_t{1} << 34;

struct DescrEntry {
  const char* descr;
  DataType type;
};
// '<' and '|' spellings numpy writes on little-endian machines; '=' is accepted as native.
const DescrEntry kDescrs[] = {
    {"<f4", DataType::kFloat32}, {"<f8", DataType::kFloat64}, {"<f2", DataType::kFloat16},
    {"|i1", DataType::kInt8},    {"|u1", DataType::kUInt8},   {"<i2", DataType::kInt16},
    {"<u2", DataType::kUInt16},  {"<i4", DataType::kInt32},   {"<u4", DataType::kUInt32},
    {"<i8", DataType::kInt64},   {"<u8", DataType::kUInt64},  {"|b1", DataType::kBool},
};

// Finds `'key':` in the header dict and returns the position just after the colon.
size_t FindKey(const std::string& header, const char* key) {
  const std::string k1 = std::string("'") + key + "'";
  size_t p = header.find(k1);
  if (p == std::string::npos) return p;
  p = header.find(':', p + k1.size());
  return p == std::string::npos ? p : p + 1;
}

size_t SkipSpaces(const std::string& s, size_t p) {
  while (p < s.size() && (s[p] == ' ' || s[p] == '\t')) ++p;
  return p;
}

}  // namespace

Status ParseNpyHeader(const std::string& header, DataType* type, std::vector<int64_t>* shape) {
  size_t p = FindKey(header, "descr");
  TV_CHECK_OR_RETURN(p != std::string::npos, "npy header has no 'descr'");
  p = SkipSpaces(header, p);
  TV_CHECK_OR_RETURN(p < header.size() && header[p] == '\'',
                     "npy 'descr' is not a simple dtype "
                     "string (structured arrays are not supported)");
  const size_t end = header.find('\'', p + 1);
  TV_CHECK_OR_RETURN(end != std::string::npos, "npy header is malformed");
  std::string descr = header.substr(p + 1, end - p - 1);
  if (descr.size() == 3 && descr[0] == '=') descr[0] = descr[2] == '1' ? '|' : '<';
  if (descr.size() == 3 && descr[2] == '1' && descr[0] == '<') descr[0] = '|';
  bool found = false;
  for (const DescrEntry& e : kDescrs) {
    if (descr == e.descr) {
      *type = e.type;
      found = true;
    }
  }
  TV_CHECK_OR_RETURN(found, "npy dtype '%s' is not supported (little-endian numeric or bool only)",
                     descr.c_str());

  p = FindKey(header, "fortran_order");
  TV_CHECK_OR_RETURN(p != std::string::npos, "npy header has no 'fortran_order'");
  p = SkipSpaces(header, p);
  TV_CHECK_OR_RETURN(header.compare(p, 5, "False") == 0,
                     "npy array is in Fortran order; save it with np.ascontiguousarray first");

  p = FindKey(header, "shape");
  TV_CHECK_OR_RETURN(p != std::string::npos, "npy header has no 'shape'");
  p = SkipSpaces(header, p);
  TV_CHECK_OR_RETURN(p < header.size() && header[p] == '(', "npy 'shape' is not a tuple");
  const size_t close = header.find(')', p);
  TV_CHECK_OR_RETURN(close != std::string::npos, "npy 'shape' is not terminated");
  shape->clear();
  size_t q = p + 1;
  int64_t elements = 1;
  while (q < close) {
    q = SkipSpaces(header, q);
    if (q >= close) break;
    int64_t v = 0;
    bool digits = false;
    while (q < close && header[q] >= '0' && header[q] <= '9') {
      v = v * 10 + (header[q] - '0');
      TV_CHECK_OR_RETURN(v <= kMaxElements, "npy shape dimension is absurdly large");
      digits = true;
      ++q;
    }
    TV_CHECK_OR_RETURN(digits, "npy 'shape' contains a non-integer");
    shape->push_back(v);
    elements *= v;
    TV_CHECK_OR_RETURN(elements <= kMaxElements, "npy shape is absurdly large");
    q = SkipSpaces(header, q);
    if (q < close && header[q] == ',') ++q;
  }
  return Status::Ok();
}

std::string ShapeToString(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ", ";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string NpyDescr(DataType t) {
  for (const DescrEntry& e : kDescrs)
    if (e.type == t) return e.descr;
  return "";
}

Status ParseNpy(const uint8_t* data, size_t size, HostTensor* out) {
  TV_CHECK_OR_RETURN(size >= 10 && std::memcmp(data, kMagic, 6) == 0,
                     "not a .npy file (missing \\x93NUMPY magic)");
  const uint8_t major = data[6];
  size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = data[8] | (size_t{data[9]} << 8);
    header_start = 10;
  } else if (major == 2 || major == 3) {
    TV_CHECK_OR_RETURN(size >= 12, "truncated .npy header");
    header_len =
        data[8] | (size_t{data[9]} << 8) | (size_t{data[10]} << 16) | (size_t{data[11]} << 24);
    header_start = 12;
  } else {
    return Status::Error(".npy format version %u is not supported", major);
  }
  TV_CHECK_OR_RETURN(header_start + header_len <= size, "truncated .npy header");
  const std::string header(reinterpret_cast<const char*>(data + header_start), header_len);
  TV_RETURN_IF_ERROR(ParseNpyHeader(header, &out->dtype, &out->shape));
  const size_t payload = size - header_start - header_len;
  const size_t need = static_cast<size_t>(out->NumElements()) * DataTypeSize(out->dtype);
  TV_CHECK_OR_RETURN(payload >= need, "truncated .npy data: %zu bytes for shape %s of %s need %zu",
                     payload, ShapeToString(out->shape).c_str(), DataTypeName(out->dtype), need);
  TV_CHECK_OR_RETURN(payload == need, ".npy file has %zu trailing bytes after the array",
                     payload - need);
  const uint8_t* begin = data + header_start + header_len;
  out->bytes.assign(begin, begin + need);
  return Status::Ok();
}

Status ReadNpy(const std::string& path, HostTensor* out) {
  FileBytes bytes;
  TV_RETURN_IF_ERROR(ReadFileBytes(path, &bytes));
  return ParseNpy(bytes.data(), bytes.size(), out);
}

std::string EncodeNpy(const HostTensor& t) {
  std::string shape = "(";
  for (size_t i = 0; i < t.shape.size(); ++i) {
    shape += std::to_string(t.shape[i]);
    if (t.shape.size() == 1 || i + 1 < t.shape.size()) shape += ",";
    if (i + 1 < t.shape.size()) shape += " ";
  }
  shape += ")";
  std::string header =
      "{'descr': '" + NpyDescr(t.dtype) + "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Pad so that the data starts at a multiple of 64 bytes, newline-terminated.
  const size_t unpadded = 10 + header.size() + 1;
  header.append((64 - unpadded % 64) % 64, ' ');
  header += '\n';
  std::string out(kMagic, 6);
  out += '\x01';
  out += '\x00';
  out += static_cast<char>(header.size() & 0xFF);
  out += static_cast<char>((header.size() >> 8) & 0xFF);
  out += header;
  out.append(reinterpret_cast<const char*>(t.bytes.data()), t.bytes.size());
  return out;
}

Status WriteNpy(const std::string& path, const HostTensor& t) {
  TV_CHECK_OR_RETURN(!NpyDescr(t.dtype).empty(), "dtype %s cannot be written as .npy",
                     DataTypeName(t.dtype));
  const std::string bytes = EncodeNpy(t);
  return WriteFileBytes(path, bytes.data(), bytes.size());
}

}  // namespace tv
