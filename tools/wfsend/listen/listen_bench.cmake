# listen_throughput (bench/listen_throughput.cc): lines per second into a wfsend listen receiver over
# loopback. Included by bench/CMakeLists.txt; the receiver lives in wfsend_core.
if(TARGET wfsend_core)
  find_package(ZLIB REQUIRED)
  add_executable(listen_throughput ${PROJECT_SOURCE_DIR}/bench/listen_throughput.cc)
  target_link_libraries(listen_throughput PRIVATE wfsend_core wavefront_internal wavefront_build_flags ZLIB::ZLIB)
endif()
