// Single place that pulls in Debian's generated ONNX protobuf classes. Built with
// ONNX_ML=1 and ONNX_NAMESPACE=onnx (see reference/CMakeLists.txt); the include directory is a
// SYSTEM one so warnings inside generated code do not trip -Werror.
#ifndef TINYVERIFY_REFERENCE_ONNX_PROTO_H_
#define TINYVERIFY_REFERENCE_ONNX_PROTO_H_

#include <onnx/onnx_pb.h>

#endif  // TINYVERIFY_REFERENCE_ONNX_PROTO_H_
