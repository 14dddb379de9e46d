// Shared field writers and error messages; see fields.h.
#include "wavefront/format/fields.h"

#include <cmath>

#include "wavefront/format/utf8.h"

namespace wavefront::format {

Status problem_error(ErrorCode code, std::string_view field, FieldProblem problem, std::string_view value) {
  std::string message(field);
  message += ' ';
  message += describe(problem);
  message += ": ";
  message += quote_for_message(value);
  return Status(code, std::move(message));
}

Status too_long_error(ErrorCode code, std::string_view field, std::size_t length, std::size_t limit,
                      std::string_view value) {
  std::string message(field);
  message += " is " + std::to_string(length) + " characters (UTF-16 units, as the proxy counts them)";
  message += "; the limit is " + std::to_string(limit) + ": " + quote_for_message(value);
  return Status(code, std::move(message));
}

Status write_metric_name(std::string& out, std::string_view name, std::string_view prefix,
                         const FieldRules& rules) {
  out += prefix;
  const FieldWrite written = append_sanitized_name(out, name);
  if (written.problem != FieldProblem::none)
    return problem_error(rules.invalid, rules.field, written.problem, name);
  const std::size_t length = written.length + (prefix.empty() ? 0 : 1);
  if (length > rules.max_length)
    return too_long_error(rules.too_long, rules.field, length, rules.max_length, name);
  return Status();
}

Status write_value(std::string& out, std::string_view value, const FieldRules& rules) {
  const FieldWrite written = append_escaped_value(out, value);
  if (written.problem != FieldProblem::none)
    return problem_error(rules.invalid, rules.field, written.problem, value);
  if (written.length > rules.max_length) {
    return too_long_error(rules.too_long, rules.field, written.length, rules.max_length, value);
  }
  return Status();
}

Status write_source(std::string& out, std::string_view source, const FormatOptions& options, bool json) {
  // One pass in the common case; only an empty or blank source falls back to the default.
  if (!source.empty()) {
    const std::size_t start = out.size();
    const FieldWrite first = json ? append_json_value(out, source) : append_escaped_value(out, source);
    if (first.problem == FieldProblem::none) {
      if (first.length > options.limits.max_source_length) {
        return too_long_error(ErrorCode::source_too_long, "source", first.length,
                              options.limits.max_source_length, source);
      }
      return Status();
    }
    out.resize(start);
    if (first.problem != FieldProblem::empty && first.problem != FieldProblem::blank) {
      return problem_error(ErrorCode::invalid_source, "source", first.problem, source);
    }
  }
  const std::string_view judged = options.default_source;
  if (judged.empty()) {
    return Status(ErrorCode::invalid_source,
                  "source is blank and no default source is configured: " + quote_for_message(source));
  }
  const FieldWrite written = json ? append_json_value(out, judged) : append_escaped_value(out, judged);
  if (written.problem != FieldProblem::none) {
    return problem_error(ErrorCode::invalid_source, "source", written.problem, judged);
  }
  if (written.length > options.limits.max_source_length) {
    return too_long_error(ErrorCode::source_too_long, "source", written.length,
                          options.limits.max_source_length, judged);
  }
  return Status();
}

Status check_finite(double value, std::string_view field) {
  if (std::isfinite(value)) return Status();
  std::string message(field);
  message += std::isnan(value) ? " is NaN" : (value > 0 ? " is +infinity" : " is -infinity");
  message += "; values must be finite numbers";
  return Status(ErrorCode::non_finite_value, std::move(message));
}

Status check_timestamp(std::int64_t value, std::string_view field) {
  if (value > 0) return Status();
  std::string message(field);
  message += " is " + std::to_string(value) + "; timestamps must be greater than 0";
  message += " (leave the timestamp out to let the receiver stamp the point)";
  return Status(ErrorCode::invalid_timestamp, std::move(message));
}

bool has_delta_prefix(std::string_view name) noexcept {
  return name.substr(0, 3) == "\xE2\x88\x86" || name.substr(0, 2) == "\xCE\x94";
}

}  // namespace wavefront::format
