# wfsend listen: the command line around the receiver component in tools/receiver/ (included by
# tools/wfsend/CMakeLists.txt).
target_sources(wfsend_core PRIVATE ${CMAKE_CURRENT_LIST_DIR}/listen_command.cc)
target_link_libraries(wfsend_core PUBLIC wavefront_receiver)
