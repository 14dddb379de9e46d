# import_throughput: rows/s of wfsend import's CSV path (parse only, into the stdout sender, into a
# ProxyClient to a loopback LineSink) next to a wc -l-like read of the same file. Needs the tools.
if(TARGET wfsend_core)
  add_executable(import_throughput import_throughput.cc)
  target_link_libraries(import_throughput PRIVATE wfsend_core wavefront_line_sink wavefront_internal
                                                  wavefront_build_flags ZLIB::ZLIB)
endif()
