// Symbol visibility for the wavefront library.
//
// The library is compiled with hidden visibility; every public class and function is marked with
// WAVEFRONT_API so that only the documented surface is exported from the shared library. Users never
// need to use this macro themselves.
#pragma once

#if defined(_WIN32)
#define WAVEFRONT_API
#elif defined(__GNUC__) || defined(__clang__)
#define WAVEFRONT_API __attribute__((visibility("default")))
#else
#define WAVEFRONT_API
#endif
