// The reporting helpers of include/wavefront/format.h: the library's own rules, made public.
#include <string>
#include <string_view>

#include "wavefront/format.h"
#include "wavefront/format/sanitize.h"
#include "wavefront/wire/number_text.h"

namespace wavefront {

std::string quote_for_message(std::string_view value) { return format::quote_for_message(value); }

Timestamp timestamp_by_magnitude(double number) noexcept { return wire::proxy_timestamp(number); }

}  // namespace wavefront
