# Packaging tests (ctest label `packaging`, names `consumer.*`), included from test/CMakeLists.txt:
#   consumer.install           `cmake --install` of this build into build/consumer-tests/prefix (fixture setup)
#   consumer.headers           the installed headers are self-contained and need nothing third-party
#   consumer.find_package      test/consumer built with find_package(wavefront): shared and static targets
#   consumer.pkg_config        test/consumer built with `pkg-config --cflags --libs wavefront` (and --static)
#   consumer.add_subdirectory  test/consumer built with add_subdirectory() of this source tree
#   consumer.no_curl           a library-only build with -DWAVEFRONT_WITH_CURL=OFF installed into a prefix of
#                              its own: no libcurl in it or its package files; a consumer sends over tcp://
#                              and unix:// and sees http:// refused
# Every consumer program is run and its output compared; run_consumer.cmake does the work.
# Sanitizer builds leave these out (`ctest -LE packaging`): their installed libraries would need the
# sanitizer runtimes, which plain consumer builds do not link.

set(_wf_consumer_source "${CMAKE_CURRENT_LIST_DIR}")
set(_wf_consumer_work "${PROJECT_BINARY_DIR}/consumer-tests")
set(_wf_consumer_prefix "${_wf_consumer_work}/prefix")

# The nested builds use Ninja when there is one (fast to configure), else this build's generator if it
# is a single-configuration one.
find_program(WAVEFRONT_CONSUMER_NINJA NAMES ninja ninja-build)
if(WAVEFRONT_CONSUMER_NINJA)
  set(_wf_consumer_generator Ninja)
  set(_wf_consumer_make_program "${WAVEFRONT_CONSUMER_NINJA}")
elseif(NOT CMAKE_CONFIGURATION_TYPES)
  set(_wf_consumer_generator "${CMAKE_GENERATOR}")
  set(_wf_consumer_make_program "${CMAKE_MAKE_PROGRAM}")
else()
  message(STATUS "wavefront: no ninja and a multi-configuration generator; packaging tests skipped")
  return()
endif()

# WavefrontInstall.cmake is included after test/, so its option may not be defined yet.
if(DEFINED WAVEFRONT_INSTALL)
  set(_wf_consumer_installable "${WAVEFRONT_INSTALL}")
else()
  set(_wf_consumer_installable "${WAVEFRONT_TOP_LEVEL}")
endif()
if(DEFINED WAVEFRONT_INSTALL_CMAKEDIR)
  set(_wf_consumer_cmakedir "${WAVEFRONT_INSTALL_CMAKEDIR}")
else()
  set(_wf_consumer_cmakedir "${CMAKE_INSTALL_LIBDIR}/cmake/wavefront")
endif()
if(DEFINED WAVEFRONT_INSTALL_PKGCONFIGDIR)
  set(_wf_consumer_pkgconfigdir "${WAVEFRONT_INSTALL_PKGCONFIGDIR}")
else()
  set(_wf_consumer_pkgconfigdir "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
endif()
find_program(WAVEFRONT_PKG_CONFIG NAMES pkg-config pkgconf)

set(_wf_consumer_args
  "-DCONSUMER_SOURCE_DIR=${_wf_consumer_source}"
  "-DPREFIX=${_wf_consumer_prefix}"
  "-DGENERATOR=${_wf_consumer_generator}"
  "-DMAKE_PROGRAM=${_wf_consumer_make_program}"
  "-DCXX_COMPILER=${CMAKE_CXX_COMPILER}"
  "-DBUILD_TYPE=$<CONFIG>"
  "-DWAVEFRONT_SOURCE_DIR=${PROJECT_SOURCE_DIR}"
  "-DWAVEFRONT_BINARY_DIR=${PROJECT_BINARY_DIR}"
  "-DEXPECTED_VERSION=${PROJECT_VERSION}"
  "-DLIBDIR=${CMAKE_INSTALL_LIBDIR}"
  "-DINCLUDEDIR=${CMAKE_INSTALL_INCLUDEDIR}"
  "-DCMAKEDIR=${_wf_consumer_cmakedir}"
  "-DPKGCONFIGDIR=${_wf_consumer_pkgconfigdir}"
  "-DPKG_CONFIG_EXECUTABLE=${WAVEFRONT_PKG_CONFIG}"
  "-DCXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER}")

# wavefront_add_consumer_test(<mode> <timeout> [<fixture property> <fixture>])
function(wavefront_add_consumer_test mode timeout)
  add_test(NAME consumer.${mode}
           COMMAND "${CMAKE_COMMAND}" -DMODE=${mode} "-DWORK_DIR=${_wf_consumer_work}/${mode}" ${_wf_consumer_args}
                   -P "${_wf_consumer_source}/run_consumer.cmake")
  set_tests_properties(consumer.${mode} PROPERTIES LABELS packaging TIMEOUT ${timeout} ${ARGN})
endfunction()

if(_wf_consumer_installable)
  wavefront_add_consumer_test(install 120 FIXTURES_SETUP wavefront_installed)
  wavefront_add_consumer_test(headers 120 FIXTURES_REQUIRED wavefront_installed)
  wavefront_add_consumer_test(find_package 180 FIXTURES_REQUIRED wavefront_installed)
  if(WAVEFRONT_PKG_CONFIG)
    wavefront_add_consumer_test(pkg_config 180 FIXTURES_REQUIRED wavefront_installed)
  else()
    message(STATUS "wavefront: pkg-config not found; consumer.pkg_config skipped")
  endif()
else()
  message(STATUS "wavefront: WAVEFRONT_INSTALL is OFF; the install-based packaging tests are skipped")
endif()
wavefront_add_consumer_test(add_subdirectory 300)
# Compiles the library once more (Debug, library only): about as long as consumer.add_subdirectory.
wavefront_add_consumer_test(no_curl 300)
