// The bindings' error edge (like tools/cli_error.h for the CLI): library Status values become
// C++ exceptions here, which module.cc translates into tinyverify.Error subclasses. The
// message is the CLI's `error: ` line without that prefix.
#ifndef TINYVERIFY_BINDINGS_ERRORS_H_
#define TINYVERIFY_BINDINGS_ERRORS_H_

#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>

#include "emulator/status.h"

namespace tv {
namespace py_bindings {

// tinyverify.Error: base of everything below.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// tinyverify.ModelError: a model file cannot be opened, parsed, prepared or run.
class ModelError : public Error {
 public:
  using Error::Error;
};
// tinyverify.InputError (also a ValueError): arrays of the wrong count, dtype or shape.
class InputError : public Error {
 public:
  using Error::Error;
};
// tinyverify.DataError: a dataset, label or slice file cannot be read or does not fit.
class DataError : public Error {
 public:
  using Error::Error;
};
// tinyverify.GateError (also a ValueError): a malformed gate specification.
class GateError : public Error {
 public:
  using Error::Error;
};

// Throws E("<subject>: <message>") when `s` is an error (the CLI's Check()).
template <typename E>
void ThrowIf(const Status& s, const std::string& subject) {
  if (!s.ok()) throw E(subject.empty() ? s.message() : subject + ": " + s.message());
}

// Creates the Python exception classes in `m` and registers the translator.
void RegisterErrors(pybind11::module_& m);

}  // namespace py_bindings
}  // namespace tv

#endif  // TINYVERIFY_BINDINGS_ERRORS_H_
