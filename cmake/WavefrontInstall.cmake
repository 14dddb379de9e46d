# Install rules: the shared and static libraries, the public headers (include/wavefront/*.h), a CMake
# package and a pkg-config module. Included at the end of the top-level CMakeLists.txt.
#
#   find_package(wavefront 0.1 REQUIRED)   -> wavefront::wavefront (shared), wavefront::wavefront_static
#   pkg-config --cflags --libs wavefront   -> the shared library; add --static for libwavefront.a's needs
#
# When wavefront is used through add_subdirectory() the rules are off by default, so the parent's
# `cmake --install` does not install wavefront's files; a parent that wants them sets WAVEFRONT_INSTALL=ON.
#
# Components: wavefront_runtime (the shared library) and wavefront_development (everything else).

option(WAVEFRONT_INSTALL "Generate the install rules of wavefront" ${WAVEFRONT_TOP_LEVEL})
if(NOT WAVEFRONT_INSTALL)
  return()
endif()

include(CMakePackageConfigHelpers)

set(WAVEFRONT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/wavefront"
    CACHE STRING "Where the CMake package files of wavefront are installed (relative to the prefix)")
set(WAVEFRONT_INSTALL_PKGCONFIGDIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig"
    CACHE STRING "Where wavefront.pc is installed (relative to the prefix)")

# --- Libraries and headers --------------------------------------------------------------------------

install(TARGETS wavefront wavefront_static
  EXPORT wavefrontTargets
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT wavefront_runtime
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT wavefront_runtime
          NAMELINK_COMPONENT wavefront_development
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT wavefront_development)

# Everything under include/ is public API; private headers live next to the sources in src/.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/wavefront"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  COMPONENT wavefront_development
  FILES_MATCHING PATTERN "*.h")
# Generated from version.h.in at configure time.
install(FILES "${PROJECT_BINARY_DIR}/include/wavefront/version.h"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/wavefront"
  COMPONENT wavefront_development)

# --- Dependencies of the installed targets ----------------------------------------------------------
#
# A consumer must be able to find whatever the libraries' link interfaces name: their PUBLIC
# dependencies and, for the static library, its PRIVATE ones too (they appear as $<LINK_ONLY:...>).
# Each imported target that may appear there maps to
#   <imported target>|<package for find_dependency()>|<pkg-config module for Requires.private>|<Libs.private flags>
# Add a row here when the libraries start linking something new; configuring fails below if a
# dependency has no row.
#
# System libraries that are themselves shared (libcurl, zlib, OpenSSL on Debian) go in Libs.private as
# plain -l flags, not in Requires.private: linking libwavefront.a against the shared libcurl needs only
# -lcurl, whereas `Requires.private: libcurl` would make `pkg-config --static` demand libcurl's own
# static dependencies (nghttp2, ssh2, ldap, ... whose development files are not installed) and make
# every pkg-config user, even of the shared library, need libcurl's development package.
set(WAVEFRONT_INSTALL_DEPENDENCY_TABLE
  "Threads::Threads|Threads||-pthread"
  "CURL::libcurl|CURL||-lcurl"
  "ZLIB::ZLIB|ZLIB||-lz"
  "OpenSSL::SSL|OpenSSL||-lssl"
  "OpenSSL::Crypto|OpenSSL||-lcrypto")

set(_wavefront_find_dependencies "")    # lines of the package config
set(_wavefront_pc_requires_private "")  # pkg-config modules
set(_wavefront_pc_libs_private "")      # linker flags
set(_wavefront_seen_packages "")
foreach(_wavefront_target IN ITEMS wavefront wavefront_static)
  get_target_property(_wavefront_links ${_wavefront_target} INTERFACE_LINK_LIBRARIES)
  if(NOT _wavefront_links)
    continue()
  endif()
  foreach(_wavefront_link IN LISTS _wavefront_links)
    string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" _wavefront_link "${_wavefront_link}")
    # Build-tree-only entries (warning flags and the like) are not exported.
    if(_wavefront_link MATCHES "^\\$<BUILD_INTERFACE:")
      continue()
    endif()
    if(_wavefront_link MATCHES "^\\$<")
      message(FATAL_ERROR "WavefrontInstall.cmake: cannot map the link entry '${_wavefront_link}' of "
                          "${_wavefront_target} to an installed dependency; extend WAVEFRONT_INSTALL_DEPENDENCY_TABLE.")
    endif()
    set(_wavefront_row "")
    foreach(_wavefront_candidate IN LISTS WAVEFRONT_INSTALL_DEPENDENCY_TABLE)
      if(NOT _wavefront_candidate MATCHES "^([^|]*)\\|([^|]*)\\|([^|]*)\\|([^|]*)$")
        message(FATAL_ERROR "WavefrontInstall.cmake: malformed dependency row '${_wavefront_candidate}'")
      endif()
      if(CMAKE_MATCH_1 STREQUAL _wavefront_link)
        set(_wavefront_row "${_wavefront_candidate}")
        set(_wavefront_package "${CMAKE_MATCH_2}")
        set(_wavefront_pc_module "${CMAKE_MATCH_3}")
        set(_wavefront_pc_flags "${CMAKE_MATCH_4}")
        break()
      endif()
    endforeach()
    if(NOT _wavefront_row)
      if(_wavefront_link MATCHES "::" OR TARGET ${_wavefront_link})
        message(FATAL_ERROR "WavefrontInstall.cmake: ${_wavefront_target} links '${_wavefront_link}', which "
                            "has no row in WAVEFRONT_INSTALL_DEPENDENCY_TABLE; add one so that the package "
                            "config and wavefront.pc let consumers find it.")
      endif()
      # A plain system library or linker flag: pkg-config users of the static library need it too.
      if(NOT _wavefront_link MATCHES "^-")
        set(_wavefront_link "-l${_wavefront_link}")
      endif()
      list(APPEND _wavefront_pc_libs_private "${_wavefront_link}")
      continue()
    endif()
    if(NOT _wavefront_package IN_LIST _wavefront_seen_packages)
      list(APPEND _wavefront_seen_packages "${_wavefront_package}")
      string(APPEND _wavefront_find_dependencies "find_dependency(${_wavefront_package})\n")
    endif()
    if(_wavefront_pc_module)
      list(APPEND _wavefront_pc_requires_private "${_wavefront_pc_module}")
    endif()
    if(_wavefront_pc_flags)
      list(APPEND _wavefront_pc_libs_private "${_wavefront_pc_flags}")
    endif()
  endforeach()
endforeach()
list(REMOVE_DUPLICATES _wavefront_pc_requires_private)
list(REMOVE_DUPLICATES _wavefront_pc_libs_private)

# --- CMake package ----------------------------------------------------------------------------------

install(EXPORT wavefrontTargets
  NAMESPACE wavefront::
  FILE wavefrontTargets.cmake
  DESTINATION "${WAVEFRONT_INSTALL_CMAKEDIR}"
  COMPONENT wavefront_development)

set(WAVEFRONT_CONFIG_FIND_DEPENDENCIES "${_wavefront_find_dependencies}")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/wavefrontConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/package/wavefrontConfig.cmake"
  INSTALL_DESTINATION "${WAVEFRONT_INSTALL_CMAKEDIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/package/wavefrontConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY SameMajorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/package/wavefrontConfig.cmake"
  "${PROJECT_BINARY_DIR}/package/wavefrontConfigVersion.cmake"
  DESTINATION "${WAVEFRONT_INSTALL_CMAKEDIR}"
  COMPONENT wavefront_development)

# --- pkg-config module ------------------------------------------------------------------------------
#
# wavefront.pc names the prefix it is actually installed into, which is only known at install time
# (`cmake --install build --prefix /opt/x`). So the template is filled in two steps: everything but
# the prefix now, into package/wavefront.pc.install; the prefix by the install script.

list(JOIN _wavefront_pc_requires_private ", " WAVEFRONT_PC_REQUIRES_PRIVATE)
list(JOIN _wavefront_pc_libs_private " " WAVEFRONT_PC_LIBS_PRIVATE)
set(WAVEFRONT_PC_PREFIX "@CMAKE_INSTALL_PREFIX@")  # substituted at install time
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(WAVEFRONT_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  set(WAVEFRONT_PC_LIBDIR "\${exec_prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(WAVEFRONT_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(WAVEFRONT_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()
configure_file("${PROJECT_SOURCE_DIR}/cmake/wavefront.pc.in" "${PROJECT_BINARY_DIR}/package/wavefront.pc.install" @ONLY)

if(IS_ABSOLUTE "${WAVEFRONT_INSTALL_PKGCONFIGDIR}")
  set(_wavefront_pc_destination "${WAVEFRONT_INSTALL_PKGCONFIGDIR}")
else()
  set(_wavefront_pc_destination "\${CMAKE_INSTALL_PREFIX}/${WAVEFRONT_INSTALL_PKGCONFIGDIR}")
endif()
# file(INSTALL) honours DESTDIR and records the file in install_manifest.txt, like install(FILES).
install(CODE "
  set(_wavefront_pc_staging \"${PROJECT_BINARY_DIR}/package/pkgconfig-staging\")
  configure_file(\"${PROJECT_BINARY_DIR}/package/wavefront.pc.install\" \"\${_wavefront_pc_staging}/wavefront.pc\" @ONLY)
  file(INSTALL DESTINATION \"${_wavefront_pc_destination}\" TYPE FILE FILES \"\${_wavefront_pc_staging}/wavefront.pc\")
  file(REMOVE_RECURSE \"\${_wavefront_pc_staging}\")
" COMPONENT wavefront_development)

unset(_wavefront_pc_destination)
unset(_wavefront_find_dependencies)
unset(_wavefront_pc_requires_private)
unset(_wavefront_pc_libs_private)
unset(_wavefront_seen_packages)
