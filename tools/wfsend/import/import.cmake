# wfsend import: its sources go into wfsend_core (tools/wfsend/CMakeLists.txt includes this file).
target_sources(wfsend_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/aggregate.cc
  ${CMAKE_CURRENT_LIST_DIR}/csv_import.cc
  ${CMAKE_CURRENT_LIST_DIR}/csv_reader.cc
  ${CMAKE_CURRENT_LIST_DIR}/import_command.cc
  ${CMAKE_CURRENT_LIST_DIR}/import_context.cc
  ${CMAKE_CURRENT_LIST_DIR}/import_run.cc
  ${CMAKE_CURRENT_LIST_DIR}/interrupt.cc
  ${CMAKE_CURRENT_LIST_DIR}/jsonl_calls.cc
  ${CMAKE_CURRENT_LIST_DIR}/jsonl_import.cc
  ${CMAKE_CURRENT_LIST_DIR}/lines_import.cc
  ${CMAKE_CURRENT_LIST_DIR}/progress.cc
  ${CMAKE_CURRENT_LIST_DIR}/summary.cc
)
