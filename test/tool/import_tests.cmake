# wfsend import (tools/wfsend/import): its pieces tested in process (CSV reader, column mapping,
# JSONL against the conformance vectors, lines, gzip input), and tests that run the built binary
# (end to end over stdout, TCP and HTTP, every bad-input class with its exit code, the progress line
# under a pseudo-terminal). Included from test/CMakeLists.txt inside if(TARGET wfsend).
wavefront_add_test(import_unit_test
  ${CMAKE_CURRENT_LIST_DIR}/csv_reader_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/csv_import_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/jsonl_import_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/import_lines_test.cc
)
target_link_libraries(import_unit_test PRIVATE wfsend_core)
target_compile_definitions(import_unit_test PRIVATE IMPORT_VECTORS_DIR="${CMAKE_CURRENT_LIST_DIR}/../vectors")

# The tools' input stack (tools/input/: files, gzip, the line splitter pulled and pushed).
wavefront_add_test(input_test ${CMAKE_CURRENT_LIST_DIR}/input_test.cc)
target_link_libraries(input_test PRIVATE wfsend_input)

wfsend_add_test(import_test
  ${CMAKE_CURRENT_LIST_DIR}/import_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/import_errors_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/import_progress_test.cc
)
target_link_libraries(import_test PRIVATE util)
