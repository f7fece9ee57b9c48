#include "bindings/errors.h"

#include <exception>

namespace tv {
namespace py_bindings {

namespace {

// Python class objects; owned by the module (its attributes keep them alive).
PyObject* g_error = nullptr;
PyObject* g_model_error = nullptr;
PyObject* g_input_error = nullptr;
PyObject* g_data_error = nullptr;
PyObject* g_gate_error = nullptr;

PyObject* NewClass(pybind11::module_& m, const char* name, const char* doc, PyObject* bases) {
  const std::string qualified = std::string("tinyverify.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, bases, nullptr);
  if (cls == nullptr) throw pybind11::error_already_set();
  m.attr(name) = pybind11::handle(cls);
  return cls;
}

}  // namespace

void RegisterErrors(pybind11::module_& m) {
  g_error = NewClass(m, "Error",
                     "Base class of every tinyverify error. str(e) is the CLI's error line "
                     "without 'error: ' ('<file>: <what>').",
                     PyExc_RuntimeError);
  g_model_error =
      NewClass(m, "ModelError", "A model file cannot be opened, parsed, prepared or run.", g_error);
  pybind11::tuple value_bases =
      pybind11::make_tuple(pybind11::handle(g_error), pybind11::handle(PyExc_ValueError));
  g_input_error =
      NewClass(m, "InputError", "Input arrays of the wrong count, dtype or shape for the model.",
               value_bases.ptr());
  g_data_error = NewClass(
      m, "DataError", "A dataset, label, slice or report file cannot be read or written.", g_error);
  g_gate_error = NewClass(m, "GateError", "A malformed gate specification.", value_bases.ptr());

  pybind11::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const ModelError& e) {
      PyErr_SetString(g_model_error, e.what());
    } catch (const InputError& e) {
      PyErr_SetString(g_input_error, e.what());
    } catch (const DataError& e) {
      PyErr_SetString(g_data_error, e.what());
    } catch (const GateError& e) {
      PyErr_SetString(g_gate_error, e.what());
    } catch (const Error& e) {
      PyErr_SetString(g_error, e.what());
    }
  });
}

}  // namespace py_bindings
}  // namespace tv
