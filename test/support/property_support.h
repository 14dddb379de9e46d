// Bookkeeping for the property test (test/unit/property_test.cc): what the reference expects of one call
// (success, or which error codes), judging a call's status against it, printable reproducers, and the
// reference model of point tags and sources shared by several data types.
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/random_text.h"
#include "support/reference_sanitizer.h"
#include "support/wire_parser.h"
#include "wavefront/format.h"

namespace wavefront::testing {

inline constexpr std::string_view kDefaultSource = "default-src";

// The options of every call: "default-src" as the default source, and either the customer limits or
// small ones (so that limit boundaries are hit often and configured limits are shown to be honoured).
inline FormatOptions test_options(bool small_limits) {
  FormatOptions options;
  options.default_source = std::string(kDefaultSource);
  if (small_limits) {
    Limits& limits = options.limits;
    limits.max_name_length = 12;
    limits.max_source_length = 10;
    limits.max_point_tags = 3;
    limits.max_tag_key_length = 6;
    limits.max_tag_value_length = 9;
    limits.max_tag_length = 12;
    limits.max_span_name_length = 10;
    limits.max_span_annotations = 4;
    limits.max_span_tag_key_length = 5;
    limits.max_span_tag_value_length = 7;
    limits.max_span_logs_line_length = 300;
  }
  return options;
}

inline std::string show_options(const FormatOptions& options) {
  return options.limits.max_name_length == 12 ? "small_limits_options" : "options";
}

// The reference's verdict on one call: it must be refused with one of `required` (if any); codes in
// `optional` may be raised where the spec leaves the choice open (then success is acceptable too).
struct Expect {
  std::set<ErrorCode> required;
  std::set<ErrorCode> optional;
  void refuse(ErrorCode code) { required.insert(code); }
  void maybe(ErrorCode code) { optional.insert(code); }
  bool must_succeed() const { return required.empty() && optional.empty(); }
};

// A C-style quoted rendering of arbitrary bytes, for reproducers.
inline std::string show(std::string_view text) {
  std::string out = "\"";
  bool after_hex = false;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (after_hex && std::isxdigit(byte)) out += "\"\"";  // keep it out of the preceding \x escape
    after_hex = false;
    if (c == '"' || c == '\\') {
      out += '\\', out += c;
    } else if (byte < 0x20 || byte >= 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", byte);
      out += hex;
      after_hex = true;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

inline std::string show_codes(const std::set<ErrorCode>& codes) {
  std::string out;
  for (const ErrorCode code : codes) out += (out.empty() ? "" : "|") + std::string(error_code_name(code));
  return out.empty() ? "ok" : out;
}

// Collects mismatches between the library and the reference; reports the first few in full.
class Failures {
 public:
  void add(const std::string& call, const std::string& problem) {
    if (++count_ <= 12) ADD_FAILURE() << problem << "\n  reproducer: " << call;
  }
  int count() const { return count_; }

  // Coverage: how many calls were accepted and compared, and how often each code was returned.
  void accepted() { ++accepted_; }
  void refused(ErrorCode code) { ++refused_[std::string(error_code_name(code))]; }
  std::string summary() const {
    std::string out = "accepted and compared " + std::to_string(accepted_) + "; refused:";
    for (const auto& [code, n] : refused_) out += " " + code + "=" + std::to_string(n);
    return out;
  }

 private:
  int count_ = 0;
  int accepted_ = 0;
  std::map<std::string, int> refused_;
};

// Checks the status of a call; returns true when it was accepted and its output should be compared.
inline bool judge(const Status& status, const Expect& expect, bool output_unchanged, const std::string& call,
                  Failures& failures) {
  if (!status.ok()) {
    failures.refused(status.code());
    const bool known = expect.required.count(status.code()) != 0 || expect.optional.count(status.code()) != 0;
    if (!known) {
      std::set<ErrorCode> all = expect.required;
      all.insert(expect.optional.begin(), expect.optional.end());
      failures.add(call, "refused with " + std::string(error_code_name(status.code())) + " (" +
                             status.message() + "), reference expects " + show_codes(all));
    }
    if (!output_unchanged) failures.add(call, "output changed although the call was refused");
    return false;
  }
  if (!expect.required.empty()) {
    failures.add(call, "accepted, reference expects refusal with " + show_codes(expect.required));
    return false;
  }
  failures.accepted();
  return true;  // where a refusal was optional, an accepted call must still write the expected output
}

struct RawTag {
  std::string key;
  std::string value;
};

inline std::string show_tags(const std::vector<RawTag>& tags) {
  std::string out = "{";
  for (const RawTag& tag : tags) out += "{" + show(tag.key) + ", " + show(tag.value) + "}, ";
  return out + "}";
}

inline std::vector<Tag> tag_views(const std::vector<RawTag>& tags) {
  std::vector<Tag> views;
  for (const RawTag& tag : tags) views.emplace_back(tag.key, tag.value);
  return views;
}

// A source as written (wire) and read back; the default replaces an empty or blank one.
inline reference::LineValue expected_source(std::string_view raw, std::size_t limit, Expect& expect) {
  reference::LineValue value = reference::line_value(raw, ErrorCode::invalid_source);
  if (value.blank) value = reference::line_value(kDefaultSource, ErrorCode::invalid_source);
  if (!value.ok()) {
    expect.refuse(ErrorCode::invalid_source);
  } else if (reference::utf16_length(value.read_back) > limit) {
    expect.refuse(ErrorCode::source_too_long);
  }
  return value;
}

// Point tags as the proxy reads them back, duplicates (after sanitizing) reduced to the last value: the
// survivor either where the key first appeared or where it last appeared.
struct ExpectedPointTags {
  KeyValues at_first;
  KeyValues at_last;
};

inline ExpectedPointTags expected_point_tags(const std::vector<RawTag>& tags, const Limits& limits,
                                             Expect& expect) {
  KeyValues all;
  for (const RawTag& tag : tags) {
    const reference::Outcome key = reference::sanitize_name(tag.key, ErrorCode::invalid_tag_key);
    const reference::LineValue value = reference::line_value(tag.value, ErrorCode::invalid_tag_value);
    const std::size_t key_length = reference::utf16_length(key.text);
    const std::size_t value_length = reference::utf16_length(value.read_back);
    if (!key.ok() || key.text == "source" || key.text == "host" || key.text == "tag") {
      expect.refuse(ErrorCode::invalid_tag_key);
    } else if (key_length > limits.max_tag_key_length) {
      expect.refuse(ErrorCode::tag_key_too_long);
    }
    if (!value.ok()) {
      expect.refuse(ErrorCode::invalid_tag_value);
    } else if (value_length > limits.max_tag_value_length) {
      expect.refuse(ErrorCode::tag_value_too_long);
    }
    if (key.ok() && value.ok() && key_length + value_length > limits.max_tag_length) {
      expect.refuse(ErrorCode::tag_too_long);
    }
    all.emplace_back(key.text, value.read_back);
  }
  ExpectedPointTags result;
  for (std::size_t i = 0; i < all.size(); ++i) {
    bool later = false, earlier = false;
    std::string last_value = all[i].second;
    for (std::size_t j = 0; j < all.size(); ++j) {
      if (all[j].first != all[i].first) continue;
      if (j > i) later = true, last_value = all[j].second;
      if (j < i) earlier = true;
    }
    if (!earlier) result.at_first.emplace_back(all[i].first, last_value);
    if (!later) result.at_last.push_back(all[i]);
  }
  // More tags than allowed: certain if even the deduplicated list is too long, open otherwise.
  if (result.at_last.size() > limits.max_point_tags) {
    expect.refuse(ErrorCode::too_many_tags);
  } else if (tags.size() > limits.max_point_tags) {
    expect.maybe(ErrorCode::too_many_tags);
  }
  return result;
}

// Random point tags: mostly few, sometimes exactly at or past the count limit, some repeated keys.
inline std::vector<RawTag> random_point_tags(RandomText& random, const Limits& limits) {
  static const std::vector<std::string> kKeySpecials = {
      "source", "host", "tag", "~", "\xE2\x88\x86", "env", "Env", "\xCE\x94k", "~k", "1", "\xE2\x88\x86~"};
  std::vector<RawTag> tags;
  if (random.chance(0.03)) {
    const std::size_t count = limits.max_point_tags - 1 + random.below(3);
    for (std::size_t i = 0; i < count; ++i) tags.push_back({"k" + std::to_string(i), random.clean(4)});
    return tags;
  }
  const std::size_t count = random.below(5);
  for (std::size_t i = 0; i < count; ++i) {
    RawTag tag{random.text(limits.max_tag_key_length, kKeySpecials, true),
               random.text(limits.max_tag_value_length, {"true", "\\", "a\\"}, false)};
    if (random.chance(0.05)) {  // key + value near the combined limit
      tag.key = random.clean(limits.max_tag_key_length);
      tag.value = random.long_value(limits.max_tag_length - tag.key.size() - 1 + random.below(3));
    }
    if (!tags.empty() && random.chance(0.1)) tag.key = tags[random.below(tags.size())].key;
    tags.push_back(std::move(tag));
  }
  return tags;
}

}  // namespace wavefront::testing
