# wfsend send and lint, run as a built binary.
wfsend_add_test(wfsend_send_lint_test ${CMAKE_CURRENT_LIST_DIR}/send_test.cc ${CMAKE_CURRENT_LIST_DIR}/lint_test.cc
                ${CMAKE_CURRENT_LIST_DIR}/timestamp_test.cc)
target_link_libraries(wfsend_send_lint_test PRIVATE ZLIB::ZLIB)
wfsend_add_test(wfsend_security_test ${CMAKE_CURRENT_LIST_DIR}/security_tool_test.cc)
target_link_libraries(wfsend_security_test PRIVATE ZLIB::ZLIB)
