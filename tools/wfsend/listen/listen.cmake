# wfsend listen: a local Wavefront-compatible receiver (included by tools/wfsend/CMakeLists.txt).
target_sources(wfsend_core PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/connection.cc
  ${CMAKE_CURRENT_LIST_DIR}/event_json.cc
  ${CMAKE_CURRENT_LIST_DIR}/http_answer.cc
  ${CMAKE_CURRENT_LIST_DIR}/http_request.cc
  ${CMAKE_CURRENT_LIST_DIR}/http_session.cc
  ${CMAKE_CURRENT_LIST_DIR}/ingest.cc
  ${CMAKE_CURRENT_LIST_DIR}/listen_command.cc
  ${CMAKE_CURRENT_LIST_DIR}/output.cc
  ${CMAKE_CURRENT_LIST_DIR}/receiver.cc
  ${CMAKE_CURRENT_LIST_DIR}/stats.cc
)
