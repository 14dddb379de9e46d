# Tests of wfsend listen (included by test/CMakeLists.txt when the wfsend target exists).
find_package(CURL REQUIRED)
find_package(ZLIB REQUIRED)
wfsend_add_test(wfsend_listen_test
  ${CMAKE_CURRENT_LIST_DIR}/listen_parts_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/listen_receiver_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/listen_hostile_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/listen_sdk_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/listen_cli_test.cc
  ${CMAKE_CURRENT_LIST_DIR}/listen_interop_test.cc
)
target_link_libraries(wfsend_listen_test PRIVATE CURL::libcurl ZLIB::ZLIB)
target_compile_definitions(wfsend_listen_test PRIVATE WAVEFRONT_INTEROP_DIR="${CMAKE_CURRENT_LIST_DIR}/../interop")
