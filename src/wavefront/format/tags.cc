// Tag list writer with last-value-wins merging; see tags.h.
#include "wavefront/format/tags.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "wavefront/format.h"
#include "wavefront/format/fields.h"
#include "wavefront/format/sanitize.h"

namespace wavefront::format {
namespace {

constexpr std::string_view kPointReservedKeys[] = {"source", "host", "tag"};

// Where one written tag lies in the output buffer.
struct WrittenTag {
  std::size_t begin;  // the space before the opening quote of the key
  std::size_t key_begin;
  std::size_t key_length;
  std::size_t end;
};

// A few tags live on the stack; more spill to the heap (rare, and only past the inline size).
class WrittenTags {
 public:
  void push_back(const WrittenTag& tag) {
    if (size_ < inline_.size()) {
      inline_[size_] = tag;
    } else {
      if (spill_.empty()) spill_.assign(inline_.begin(), inline_.end());
      spill_.push_back(tag);
    }
    ++size_;
  }
  std::size_t size() const { return size_; }
  WrittenTag& operator[](std::size_t index) { return spill_.empty() ? inline_[index] : spill_[index]; }

 private:
  std::array<WrittenTag, 24> inline_;  // filled as tags are written; not zeroed (hot path)
  std::vector<WrittenTag> spill_;
  std::size_t size_ = 0;
};

Status key_error(const TagRules& rules, std::string_view key, FieldProblem problem) {
  std::string field(rules.what);
  field += " key";
  return problem_error(ErrorCode::invalid_tag_key, field, problem, key);
}

std::string value_field(const TagRules& rules, std::string_view key) {
  std::string field(rules.what);
  field += " value for key " + quote_for_message(key);
  return field;
}

bool is_reserved(const TagRules& rules, std::string_view key) {
  for (std::size_t index = 0; index < rules.reserved_key_count; ++index) {
    if (rules.reserved_keys[index] == key) return true;
  }
  return false;
}

bool only_digits(std::string_view key) {
  return std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Removes every tag whose key is repeated later, compacting the buffer; returns the tags kept.
std::size_t keep_last_values(std::string& out, WrittenTags& written) {
  const std::size_t count = written.size();
  const auto key_of = [&](std::size_t index) {
    return std::string_view(out).substr(written[index].key_begin, written[index].key_length);
  };
  std::array<unsigned char, 24> removed_inline{};
  std::vector<unsigned char> removed_heap;
  unsigned char* removed = removed_inline.data();
  if (count > removed_inline.size()) {
    removed_heap.assign(count, 0);
    removed = removed_heap.data();
  }
  bool any_removed = false;
  if (count <= 64) {
    for (std::size_t first = 0; first + 1 < count; ++first) {
      for (std::size_t later = first + 1; later < count; ++later) {
        if (key_of(first) == key_of(later)) {
          removed[first] = 1;
          any_removed = true;
          break;
        }
      }
    }
  } else {
    std::vector<std::size_t> order(count);
    for (std::size_t index = 0; index < count; ++index) order[index] = index;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return key_of(a) < key_of(b); });
    for (std::size_t rank = 0; rank + 1 < count; ++rank) {
      if (key_of(order[rank]) == key_of(order[rank + 1])) {
        removed[order[rank]] = 1;
        any_removed = true;
      }
    }
  }
  if (!any_removed) return count;
  std::size_t write_position = written[0].begin;
  std::size_t kept = 0;
  for (std::size_t index = 0; index < count; ++index) {
    if (removed[index] != 0) continue;
    const std::size_t length = written[index].end - written[index].begin;
    if (write_position != written[index].begin) {
      std::memmove(&out[write_position], &out[written[index].begin], length);
    }
    write_position += length;
    ++kept;
  }
  out.resize(write_position);
  return kept;
}

}  // namespace

TagRules point_tag_rules(const Limits& limits) {
  return TagRules{"point tag",
                  limits.max_tag_key_length,
                  limits.max_tag_value_length,
                  limits.max_tag_length,
                  kPointReservedKeys,
                  std::size(kPointReservedKeys),
                  false,
                  true,
                  limits.max_point_tags};
}

Status append_tags(std::string& out, TagList tags, const TagRules& rules) {
  WrittenTags written;
  for (std::size_t index = 0; index < tags.size(); ++index) {
    const Tag tag = tags[index];
    WrittenTag record{};
    record.begin = out.size();
    // Short constants byte by byte: push_back is inlined, append is a library call.
    out.push_back(' ');
    out.push_back('"');
    record.key_begin = out.size();
    const FieldWrite key = append_sanitized_name(out, tag.key);
    if (key.problem != FieldProblem::none)
      return key_error(rules, tag.key, key.problem).at(Field::tags, index);
    record.key_length = out.size() - record.key_begin;
    const std::string_view sanitized_key = std::string_view(out).substr(record.key_begin, record.key_length);
    if (is_reserved(rules, sanitized_key)) {
      std::string message(rules.what);
      message +=
          " key " + quote_for_message(tag.key) + " is reserved; pass it through the dedicated argument";
      return Status(ErrorCode::invalid_tag_key, std::move(message)).at(Field::tags, index);
    }
    if (rules.refuse_digit_keys && only_digits(sanitized_key)) {
      std::string message(rules.what);
      message += " key " + quote_for_message(tag.key) +
                 " must not be only digits (the proxy would read it as the start time)";
      return Status(ErrorCode::invalid_tag_key, std::move(message)).at(Field::tags, index);
    }
    if (key.length > rules.max_key_length) {
      std::string field(rules.what);
      field += " key";
      return too_long_error(ErrorCode::tag_key_too_long, field, key.length, rules.max_key_length, tag.key)
          .at(Field::tags, index);
    }
    out.push_back('"');
    out.push_back('=');
    out.push_back('"');
    const FieldWrite value = append_escaped_value(out, tag.value);
    if (value.problem != FieldProblem::none) {
      return problem_error(ErrorCode::invalid_tag_value, value_field(rules, tag.key), value.problem,
                           tag.value)
          .at(Field::tags, index);
    }
    if (value.length > rules.max_value_length) {
      return too_long_error(ErrorCode::tag_value_too_long, value_field(rules, tag.key), value.length,
                            rules.max_value_length, tag.value)
          .at(Field::tags, index);
    }
    if (rules.max_combined_length != 0 && key.length + value.length > rules.max_combined_length) {
      std::string message(rules.what);
      message += " " + quote_for_message(tag.key) + "=" + quote_for_message(tag.value) + " is " +
                 std::to_string(key.length + value.length) +
                 " characters (key + value, UTF-16 units); the limit is " +
                 std::to_string(rules.max_combined_length);
      return Status(ErrorCode::tag_too_long, std::move(message)).at(Field::tags, index);
    }
    out += '"';
    record.end = out.size();
    written.push_back(record);
  }
  std::size_t count = written.size();
  if (rules.last_value_wins && count > 1) count = keep_last_values(out, written);
  if (rules.max_count != 0 && count > rules.max_count) {
    std::string message = std::to_string(count) + " " + std::string(rules.what) +
                          "s (after merging repeated keys); the limit is " + std::to_string(rules.max_count);
    return Status(ErrorCode::too_many_tags, std::move(message)).at(Field::tags, rules.max_count);
  }
  return Status();
}

}  // namespace wavefront::format
