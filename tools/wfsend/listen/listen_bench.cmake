# listen_throughput (bench/listen_throughput.cc): lines per second into a wfsend listen receiver over
# loopback. Included by bench/CMakeLists.txt; the receiver is the wavefront_receiver library.
if(TARGET wavefront_receiver)
  find_package(ZLIB REQUIRED)
  add_executable(listen_throughput ${PROJECT_SOURCE_DIR}/bench/listen_throughput.cc)
  target_link_libraries(listen_throughput PRIVATE wavefront_receiver wavefront_internal wavefront_build_flags ZLIB::ZLIB)
endif()
