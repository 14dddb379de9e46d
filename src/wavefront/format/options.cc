// Default format options and the host name used as the default source.
#include <unistd.h>

#include <climits>
#include <string>

#include "wavefront/format.h"

namespace wavefront {

const std::string& local_host_name() {
  static const std::string host_name = [] {
    char buffer[256] = {};
    if (gethostname(buffer, sizeof buffer - 1) != 0 || buffer[0] == '\0') return std::string("localhost");
    return std::string(buffer);
  }();
  return host_name;
}

const FormatOptions& default_format_options() {
  static const FormatOptions options;
  return options;
}

}  // namespace wavefront
