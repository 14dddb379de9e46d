# Runs one packaging check for ctest: `cmake -DMODE=<mode> -D... -P run_consumer.cmake` (the arguments
# are set up by consumer_tests.cmake). Any failure is a FATAL_ERROR, i.e. a failed test. Modes:
#   install           install the build into PREFIX from scratch; check the installed file set
#   headers           the installed headers include only the standard library and each other, and each
#                     compiles on its own with -std=c++17 -Wall -Wextra -Wpedantic -Werror
#   find_package      configure, build and run the consumer with find_package(wavefront) against PREFIX
#                     (shared and static targets); an incompatible version request must fail
#   pkg_config        compile the consumer with `pkg-config --cflags --libs wavefront` (shared) and with
#                     `--static` flags plus libwavefront.a; run both
#   add_subdirectory  configure, build and run the consumer with the source tree as a subdirectory; the
#                     consumer's own install must not install any of wavefront's files
#   no_curl           build the library alone with -DWAVEFRONT_WITH_CURL=OFF, install it into
#                     WORK_DIR/prefix, check that neither libwavefront.so nor the package files need
#                     libcurl, then build no_curl_consumer.cc against it (find_package, shared and static)
#                     and run it: tcp:// and unix:// deliver, http://, https://, proxy:// are refused
cmake_minimum_required(VERSION 3.25)

foreach(required IN ITEMS MODE WORK_DIR CONSUMER_SOURCE_DIR CXX_COMPILER WAVEFRONT_SOURCE_DIR)
  if(NOT DEFINED ${required})
    message(FATAL_ERROR "run_consumer.cmake: -D${required}=... is missing")
  endif()
endforeach()

# run(<description> <command>...): runs the command in WORK_DIR and fails the test if it fails.
# Its standard output is returned in RUN_OUTPUT.
function(run description)
  execute_process(COMMAND ${ARGN}
    WORKING_DIRECTORY "${WORK_DIR}"
    RESULT_VARIABLE result
    OUTPUT_VARIABLE output
    ERROR_VARIABLE error)
  if(NOT result STREQUAL "0")
    list(JOIN ARGN " " command)
    message(FATAL_ERROR "${description} failed (${result}):\n  ${command}\n"
                        "--- stdout\n${output}\n--- stderr\n${error}")
  endif()
  set(RUN_OUTPUT "${output}" PARENT_SCOPE)
endfunction()

# check_consumer(<program> <kind> [<command prefix>...]): runs the consumer and compares its whole
# output with what it must print.
function(check_consumer program kind)
  run("running ${program}" ${ARGN} "${program}")
  set(expected
      "consumer[${kind}]: \"cpu.usage\" 42.5 source=\"host-01\" \"env\"=\"prod\"\n"
      "consumer[${kind}]: refused negative_delta, appended 0 bytes\n")
  string(CONCAT expected ${expected})
  if(NOT RUN_OUTPUT STREQUAL expected)
    # Indented lines keep their line breaks in CMake's error output.
    string(REPLACE "\n" "\n    " shown_output "    ${RUN_OUTPUT}")
    string(REPLACE "\n" "\n    " shown_expected "    ${expected}")
    message(FATAL_ERROR "${program} printed\n${shown_output}\ninstead of\n${shown_expected}")
  endif()
  message(STATUS "ok: ${kind} consumer printed the expected lines")
endfunction()

# check_linkage(<program> shared|static): a shared consumer loads libwavefront.so at run time, a
# static one does not.
function(check_linkage program kind)
  find_program(READELF NAMES readelf)
  if(NOT READELF)
    message(STATUS "readelf not found: how ${program} links wavefront is not checked")
    return()
  endif()
  run("readelf -d ${program}" "${READELF}" -d "${program}")
  if(kind STREQUAL "shared" AND NOT RUN_OUTPUT MATCHES "\\(NEEDED\\)[^\n]*\\[libwavefront\\.so")
    message(FATAL_ERROR "${program} should load libwavefront.so but does not:\n${RUN_OUTPUT}")
  elseif(kind STREQUAL "static" AND RUN_OUTPUT MATCHES "libwavefront")
    message(FATAL_ERROR "${program} should contain wavefront statically but loads it:\n${RUN_OUTPUT}")
  endif()
endfunction()

# Arguments for configuring the consumer project.
set(configure_args -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}")
if(MAKE_PROGRAM)
  list(APPEND configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()

# Each check starts from an empty directory of its own.
file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")

if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${PREFIX}")
  set(config_args "")
  if(BUILD_TYPE)
    set(config_args --config "${BUILD_TYPE}")
  endif()
  run("cmake --install" "${CMAKE_COMMAND}" --install "${WAVEFRONT_BINARY_DIR}" --prefix "${PREFIX}" ${config_args})

  # The public headers, exactly.
  file(GLOB_RECURSE source_headers RELATIVE "${WAVEFRONT_SOURCE_DIR}/include"
       "${WAVEFRONT_SOURCE_DIR}/include/*.h" "${WAVEFRONT_SOURCE_DIR}/include/*.h.in")
  # Templates (version.h.in) are installed as the header they generate.
  list(TRANSFORM source_headers REPLACE "\\.h\\.in$" ".h")
  file(GLOB_RECURSE installed_headers RELATIVE "${PREFIX}/${INCLUDEDIR}" "${PREFIX}/${INCLUDEDIR}/*")
  list(SORT source_headers)
  list(SORT installed_headers)
  if(NOT source_headers STREQUAL installed_headers)
    message(FATAL_ERROR "installed headers\n  ${installed_headers}\ndiffer from include/\n  ${source_headers}")
  endif()

  # The libraries and package files, and nothing else in the library directory.
  set(required_files
      "${LIBDIR}/libwavefront.a"
      "${LIBDIR}/libwavefront.so"
      "${CMAKEDIR}/wavefrontConfig.cmake"
      "${CMAKEDIR}/wavefrontConfigVersion.cmake"
      "${CMAKEDIR}/wavefrontTargets.cmake"
      "${PKGCONFIGDIR}/wavefront.pc")
  foreach(file IN LISTS required_files)
    if(NOT EXISTS "${PREFIX}/${file}")
      message(FATAL_ERROR "cmake --install did not install ${file}")
    endif()
  endforeach()
  file(GLOB_RECURSE installed_libdir RELATIVE "${PREFIX}" "${PREFIX}/${LIBDIR}/*")
  foreach(file IN LISTS installed_libdir)
    if(NOT file IN_LIST required_files AND
       NOT file MATCHES "^${LIBDIR}/libwavefront\\.so\\.[0-9.]+$" AND
       NOT file MATCHES "^${CMAKEDIR}/wavefrontTargets-[a-z]+\\.cmake$")
      message(FATAL_ERROR "unexpected installed file ${file}")
    endif()
  endforeach()

  # The package files point into the prefix, never at the source or build tree.
  file(READ "${PREFIX}/${PKGCONFIGDIR}/wavefront.pc" pc)
  string(FIND "${pc}" "\nprefix=${PREFIX}\n" position)
  if(position EQUAL -1)
    message(FATAL_ERROR "wavefront.pc does not name the install prefix ${PREFIX}:\n${pc}")
  endif()
  file(GLOB package_files "${PREFIX}/${CMAKEDIR}/*.cmake" "${PREFIX}/${PKGCONFIGDIR}/wavefront.pc")
  foreach(file IN LISTS package_files)
    file(READ "${file}" content)
    foreach(leak IN ITEMS "${WAVEFRONT_SOURCE_DIR}/include" "${WAVEFRONT_SOURCE_DIR}/src"
                          "${WAVEFRONT_BINARY_DIR}/src" "@CMAKE_" "@PROJECT_" "@WAVEFRONT_")
      string(FIND "${content}" "${leak}" position)
      if(NOT position EQUAL -1)
        message(FATAL_ERROR "${file} contains '${leak}'")
      endif()
    endforeach()
  endforeach()
  message(STATUS "ok: installed ${PREFIX}")

elseif(MODE STREQUAL "headers")
  file(GLOB headers RELATIVE "${PREFIX}/${INCLUDEDIR}" "${PREFIX}/${INCLUDEDIR}/wavefront/*.h")
  if(NOT headers)
    message(FATAL_ERROR "no headers under ${PREFIX}/${INCLUDEDIR}/wavefront")
  endif()
  foreach(header IN LISTS headers)
    file(STRINGS "${PREFIX}/${INCLUDEDIR}/${header}" includes REGEX "^[ \t]*#[ \t]*include")
    foreach(line IN LISTS includes)
      if(line MATCHES "#[ \t]*include[ \t]*[<\"](wavefront/[A-Za-z0-9_]+\\.h)[>\"]")
        if(NOT EXISTS "${PREFIX}/${INCLUDEDIR}/${CMAKE_MATCH_1}")
          message(FATAL_ERROR "${header} includes ${CMAKE_MATCH_1}, which is not installed")
        endif()
      elseif(NOT line MATCHES "#[ \t]*include[ \t]*<[a-z_]+>")
        message(FATAL_ERROR "${header} includes something that is neither the C++ standard library nor "
                            "wavefront: '${line}'")
      endif()
    endforeach()
    string(MAKE_C_IDENTIFIER "${header}" name)
    file(WRITE "${WORK_DIR}/${name}.cc" "#include <${header}>\n")
    run("compiling ${header} on its own" "${CXX_COMPILER}" -std=c++17 -fsyntax-only -Wall -Wextra -Wpedantic
        -Werror "-I${PREFIX}/${INCLUDEDIR}" "${WORK_DIR}/${name}.cc")
  endforeach()
  message(STATUS "ok: ${headers}")

elseif(MODE STREQUAL "find_package")
  set(build "${WORK_DIR}/build")
  run("configuring the consumer" "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE_DIR}" -B "${build}" ${configure_args}
      "-DCMAKE_BUILD_TYPE=${BUILD_TYPE}" -DCONSUMER_MODE=find_package "-DCMAKE_PREFIX_PATH=${PREFIX}"
      -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF "-DWAVEFRONT_EXPECTED_VERSION=${EXPECTED_VERSION}"
      "-DWAVEFRONT_EXPECTED_PREFIX=${PREFIX}")
  run("building the consumer" "${CMAKE_COMMAND}" --build "${build}")
  check_consumer("${build}/consumer_shared" find_package-shared)
  check_linkage("${build}/consumer_shared" shared)
  check_consumer("${build}/consumer_static" find_package-static)
  check_linkage("${build}/consumer_static" static)

  # The version file: the next major version is not compatible.
  string(REGEX MATCH "^[0-9]+" major "${EXPECTED_VERSION}")
  math(EXPR next_major "${major} + 1")
  execute_process(COMMAND "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE_DIR}" -B "${WORK_DIR}/build-next-major"
                          ${configure_args} -DCONSUMER_MODE=find_package "-DCMAKE_PREFIX_PATH=${PREFIX}"
                          -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF "-DWAVEFRONT_EXPECTED_VERSION=${next_major}.0"
                  RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE error)
  if(result STREQUAL "0" OR NOT error MATCHES "wavefront")
    message(FATAL_ERROR "find_package(wavefront ${next_major}.0) should fail (result ${result}):\n${output}\n${error}")
  endif()
  message(STATUS "ok: find_package(wavefront ${next_major}.0) is refused")

elseif(MODE STREQUAL "pkg_config")
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${PKGCONFIGDIR}")
  run("pkg-config --modversion" "${PKG_CONFIG_EXECUTABLE}" --modversion wavefront)
  string(STRIP "${RUN_OUTPUT}" version)
  if(NOT version STREQUAL EXPECTED_VERSION)
    message(FATAL_ERROR "pkg-config reports wavefront ${version}, expected ${EXPECTED_VERSION}")
  endif()
  run("pkg-config --variable=libdir" "${PKG_CONFIG_EXECUTABLE}" --variable=libdir wavefront)
  string(STRIP "${RUN_OUTPUT}" libdir)
  file(REAL_PATH "${libdir}" libdir_real)
  file(REAL_PATH "${PREFIX}/${LIBDIR}" expected_libdir_real)
  if(NOT libdir_real STREQUAL expected_libdir_real)
    message(FATAL_ERROR "wavefront.pc says libdir=${libdir}, expected ${PREFIX}/${LIBDIR}")
  endif()
  run("pkg-config --cflags" "${PKG_CONFIG_EXECUTABLE}" --cflags wavefront)
  separate_arguments(cflags UNIX_COMMAND "${RUN_OUTPUT}")

  # Shared: exactly the flags pkg-config gives.
  run("pkg-config --libs" "${PKG_CONFIG_EXECUTABLE}" --libs wavefront)
  separate_arguments(libs UNIX_COMMAND "${RUN_OUTPUT}")
  run("compiling the shared consumer" "${CXX_COMPILER}" -std=c++17
      "-DWAVEFRONT_CONSUMER_KIND=\"pkg-config-shared\"" "${CONSUMER_SOURCE_DIR}/consumer.cc" ${cflags} ${libs}
      -o "${WORK_DIR}/consumer_shared")
  check_consumer("${WORK_DIR}/consumer_shared" pkg-config-shared
                 "${CMAKE_COMMAND}" -E env "LD_LIBRARY_PATH=${libdir}")
  check_linkage("${WORK_DIR}/consumer_shared" shared)

  # Static: libwavefront.a in place of -lwavefront; the rest of `--static --libs` must be enough.
  run("pkg-config --static --libs" "${PKG_CONFIG_EXECUTABLE}" --static --libs wavefront)
  separate_arguments(static_libs UNIX_COMMAND "${RUN_OUTPUT}")
  if(NOT "-lwavefront" IN_LIST static_libs)
    message(FATAL_ERROR "pkg-config --static --libs wavefront gives no -lwavefront: ${static_libs}")
  endif()
  list(TRANSFORM static_libs REPLACE "^-lwavefront$" "${libdir}/libwavefront.a")
  run("compiling the static consumer" "${CXX_COMPILER}" -std=c++17
      "-DWAVEFRONT_CONSUMER_KIND=\"pkg-config-static\"" "${CONSUMER_SOURCE_DIR}/consumer.cc" ${cflags}
      ${static_libs} -o "${WORK_DIR}/consumer_static")
  check_consumer("${WORK_DIR}/consumer_static" pkg-config-static)
  check_linkage("${WORK_DIR}/consumer_static" static)

elseif(MODE STREQUAL "add_subdirectory")
  set(build "${WORK_DIR}/build")
  # Debug: the library is compiled from scratch here, and -O0 is the quickest.
  run("configuring the consumer" "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE_DIR}" -B "${build}" ${configure_args}
      -DCMAKE_BUILD_TYPE=Debug -DCONSUMER_MODE=add_subdirectory "-DWAVEFRONT_SOURCE_DIR=${WAVEFRONT_SOURCE_DIR}")
  run("building the consumer" "${CMAKE_COMMAND}" --build "${build}")
  check_consumer("${build}/consumer_shared" add_subdirectory-shared)
  check_linkage("${build}/consumer_shared" shared)
  check_consumer("${build}/consumer_static" add_subdirectory-static)
  check_linkage("${build}/consumer_static" static)

  # As a subproject wavefront installs nothing unless asked to (WAVEFRONT_INSTALL=ON).
  run("installing the consumer project" "${CMAKE_COMMAND}" --install "${build}" --prefix "${WORK_DIR}/install")
  file(GLOB_RECURSE installed RELATIVE "${WORK_DIR}/install" "${WORK_DIR}/install/*")
  if(installed)
    message(FATAL_ERROR "installing a project that uses wavefront through add_subdirectory installed "
                        "wavefront's files: ${installed}")
  endif()
  message(STATUS "ok: the parent project's install installs nothing of wavefront")

elseif(MODE STREQUAL "no_curl")
  set(library_build "${WORK_DIR}/library")
  set(prefix "${WORK_DIR}/prefix")
  set(launcher_args "")
  if(CXX_COMPILER_LAUNCHER)
    list(APPEND launcher_args "-DCMAKE_CXX_COMPILER_LAUNCHER=${CXX_COMPILER_LAUNCHER}")
  endif()
  # Debug and the library only: the quickest build that installs what a consumer links.
  run("configuring wavefront with WAVEFRONT_WITH_CURL=OFF" "${CMAKE_COMMAND}" -S "${WAVEFRONT_SOURCE_DIR}"
      -B "${library_build}" ${configure_args} ${launcher_args} -DCMAKE_BUILD_TYPE=Debug -DWAVEFRONT_WITH_CURL=OFF
      -DWAVEFRONT_BUILD_TESTS=OFF -DWAVEFRONT_BUILD_TOOLS=OFF -DWAVEFRONT_BUILD_BENCHMARKS=OFF
      -DWAVEFRONT_BUILD_EXAMPLES=OFF)
  run("building wavefront with WAVEFRONT_WITH_CURL=OFF" "${CMAKE_COMMAND}" --build "${library_build}")
  run("installing it" "${CMAKE_COMMAND}" --install "${library_build}" --prefix "${prefix}")

  # Nothing installed asks for libcurl: not the shared library, not the package config, not the .pc.
  find_program(READELF NAMES readelf)
  if(READELF)
    run("readelf -d libwavefront.so" "${READELF}" -d "${prefix}/${LIBDIR}/libwavefront.so")
    if(NOT RUN_OUTPUT MATCHES "\\(NEEDED\\)")
      message(FATAL_ERROR "readelf -d shows no NEEDED entries at all:\n${RUN_OUTPUT}")
    endif()
    if(RUN_OUTPUT MATCHES "libcurl|libssl|libcrypto")
      message(FATAL_ERROR "the proxy-only libwavefront.so still loads libcurl or OpenSSL:\n${RUN_OUTPUT}")
    endif()
  else()
    message(STATUS "readelf not found: the NEEDED entries of libwavefront.so are not checked")
  endif()
  file(GLOB package_files "${prefix}/${CMAKEDIR}/*.cmake" "${prefix}/${PKGCONFIGDIR}/wavefront.pc")
  if(NOT package_files)
    message(FATAL_ERROR "no package files under ${prefix}")
  endif()
  foreach(file IN LISTS package_files)
    file(READ "${file}" content)
    # find_dependency(CURL), a CURL:: target, -lcurl or a libcurl module (comments aside).
    string(REGEX REPLACE "(^|\n)#[^\n]*" "" code "${content}")
    if(code MATCHES "find_dependency\\(CURL|CURL::|-lcurl|libcurl")
      message(FATAL_ERROR "${file} of the proxy-only build asks for libcurl:\n${content}")
    endif()
  endforeach()

  set(build "${WORK_DIR}/consumer")
  run("configuring the consumer" "${CMAKE_COMMAND}" -S "${CONSUMER_SOURCE_DIR}" -B "${build}" ${configure_args}
      -DCMAKE_BUILD_TYPE=Debug -DCONSUMER_MODE=find_package "-DCMAKE_PREFIX_PATH=${prefix}"
      -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF "-DWAVEFRONT_EXPECTED_PREFIX=${prefix}"
      -DCONSUMER_SOURCE=no_curl_consumer.cc)
  run("building the consumer" "${CMAKE_COMMAND}" --build "${build}")
  foreach(kind IN ITEMS shared static)
    run("running consumer_${kind}" "${build}/consumer_${kind}")
    set(k "find_package-${kind}")
    string(CONCAT expected
      "no_curl consumer[${k}]: tcp:// delivered \"cpu.usage\" 42.5 1700000000 source=\"host-01\"\n"
      "no_curl consumer[${k}]: unix:// delivered \"cpu.usage\" 42.5 1700000000 source=\"host-01\"\n"
      "no_curl consumer[${k}]: make_sender(\"http://127.0.0.1:2878\") refused: invalid_argument\n"
      "no_curl consumer[${k}]: make_sender(\"https://127.0.0.1:2878\") refused: invalid_argument\n"
      "no_curl consumer[${k}]: make_sender(\"proxy://127.0.0.1:2878\") refused: invalid_argument\n"
      "no_curl consumer[${k}]: HttpClient::create refused: invalid_argument\n"
      "no_curl consumer[${k}]: HttpClient::direct refused: invalid_argument\n")
    if(NOT RUN_OUTPUT STREQUAL expected)
      message(FATAL_ERROR "consumer_${kind} printed\n${RUN_OUTPUT}\ninstead of\n${expected}")
    endif()
    check_linkage("${build}/consumer_${kind}" ${kind})
    message(STATUS "ok: the ${kind} consumer of the proxy-only library")
  endforeach()

else()
  message(FATAL_ERROR "run_consumer.cmake: unknown MODE '${MODE}'")
endif()
