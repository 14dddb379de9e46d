// Default format options and the host name used as the default source.
#include <unistd.h>

#include <climits>
#include <string>

#include "wavefront/format.h"

namespace wavefront {

const std::string& local_host_name() {
  // Never destroyed (like the options below): threads may still format while the process exits.
  static const std::string* const host_name = [] {
    char buffer[256] = {};
    if (gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0') return new std::string("localhost");
    return new std::string(buffer);
  }();
  return *host_name;
}

const FormatOptions& default_format_options() {
  static const FormatOptions* const options = new FormatOptions();
  return *options;
}

}  // namespace wavefront
