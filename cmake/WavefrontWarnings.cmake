# Warning and sanitizer flags shared by every target of this project (never exported to users).
add_library(wavefront_build_flags INTERFACE)
target_compile_options(wavefront_build_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                                       -Wold-style-cast -Wcast-align)
if(WAVEFRONT_WERROR)
  target_compile_options(wavefront_build_flags INTERFACE -Werror)
endif()
if(WAVEFRONT_SANITIZE)
  target_compile_options(wavefront_build_flags INTERFACE -fsanitize=${WAVEFRONT_SANITIZE} -fno-omit-frame-pointer
                                                         -fno-sanitize-recover=all)
  target_link_options(wavefront_build_flags INTERFACE -fsanitize=${WAVEFRONT_SANITIZE})
endif()
