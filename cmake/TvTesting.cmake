# tv_add_gtest(NAME <name> SOURCES <files...> LIBS <targets...> [LABELS <labels...>])
# Builds one GoogleTest executable and registers it with CTest. Folders call it for the
# *_test.cc files that sit beside their sources. Label "unit" = runs from the clone alone and
# is part of the sanitizer run; "shared" = needs ../shared (skips cleanly when absent).
find_package(GTest REQUIRED)
function(tv_add_gtest)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  tv_target_warnings(${T_NAME})
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(${T_NAME} PROPERTIES
    ENVIRONMENT "TV_SOURCE_DIR=${PROJECT_SOURCE_DIR};TV_SHARED_DIR=${PROJECT_SOURCE_DIR}/../shared"
    LABELS "${T_LABELS}")
endfunction()
