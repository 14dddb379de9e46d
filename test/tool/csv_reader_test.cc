// The streaming CSV reader of `wfsend import`: every quoting case, line ends, the byte order mark,
// positions (physical line and character column), errors, and buffer boundaries (every test runs with
// several chunk and buffer sizes so records cross refills at every byte).
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "wfsend/import/csv_reader.h"

namespace wfsend::import {
namespace {

struct ReadResult {
  std::vector<std::vector<std::string>> records;
  std::vector<std::vector<CsvPosition>> positions;
  std::vector<CsvError> errors;
};

ReadResult read_all(const std::string& text, std::size_t chunk_bytes, std::size_t buffer_bytes = 1 << 20,
                    char delimiter = ',', std::size_t max_record_bytes = 16 << 20) {
  input::StringSource source(text, chunk_bytes);
  CsvReaderOptions options;
  options.delimiter = delimiter;
  options.buffer_bytes = buffer_bytes;
  options.max_record_bytes = max_record_bytes;
  CsvReader reader(source, options);
  CsvRecord record;
  ReadResult result;
  for (;;) {
    const CsvReader::Result outcome = reader.next(record);
    if (outcome == CsvReader::Result::end) break;
    if (outcome == CsvReader::Result::error) {
      result.errors.push_back(reader.error());
      continue;
    }
    std::vector<std::string> fields;
    std::vector<CsvPosition> positions;
    for (std::size_t index = 0; index < record.size(); ++index) {
      fields.emplace_back(record[index]);
      positions.push_back(record.position(index));
    }
    result.records.push_back(fields);
    result.positions.push_back(positions);
  }
  return result;
}

using Records = std::vector<std::vector<std::string>>;

// Runs `check` over several chunkings: whole, one byte at a time, odd sizes; and a tiny buffer.
template <class Check>
void for_each_chunking(const std::string& text, Check check) {
  for (std::size_t chunk :
       {std::size_t{1} << 20, std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}}) {
    SCOPED_TRACE("chunk " + std::to_string(chunk));
    check(read_all(text, chunk));
  }
  SCOPED_TRACE("64-byte buffer");
  check(read_all(text, 5, 64));
}

TEST(CsvReader, PlainFieldsLfAndCrlf) {
  for_each_chunking("a,b,c\n1,2,3\r\n4,5,6", [](const ReadResult& result) {
    EXPECT_EQ(result.records, (Records{{"a", "b", "c"}, {"1", "2", "3"}, {"4", "5", "6"}}));
    EXPECT_TRUE(result.errors.empty());
  });
}

TEST(CsvReader, EmptyFieldsAreKept) {
  for_each_chunking(",a,,\n,\n", [](const ReadResult& result) {
    EXPECT_EQ(result.records, (Records{{"", "a", "", ""}, {"", ""}}));
  });
}

TEST(CsvReader, QuotedFieldsWithDelimitersQuotesAndNewlines) {
  const std::string text =
      "name,note\n"
      "\"a,b\",\"say \"\"hi\"\"\"\n"
      "\"multi\nline\",\"\"\n"
      "\"crlf\r\ninside\",x\r\n";
  for_each_chunking(text, [](const ReadResult& result) {
    EXPECT_EQ(
        result.records,
        (Records{{"name", "note"}, {"a,b", "say \"hi\""}, {"multi\nline", ""}, {"crlf\r\ninside", "x"}}));
    EXPECT_TRUE(result.errors.empty());
  });
}

TEST(CsvReader, QuoteInsideAnUnquotedFieldIsData) {
  for_each_chunking("5\" screen,x\n", [](const ReadResult& result) {
    EXPECT_EQ(result.records, (Records{{"5\" screen", "x"}}));
  });
}

TEST(CsvReader, QuotedFieldAtTheEndOfTheInputWithoutNewline) {
  for_each_chunking("a,\"b\"\"\"", [](const ReadResult& result) {
    EXPECT_EQ(result.records, (Records{{"a", "b\""}}));
  });
}

TEST(CsvReader, ByteOrderMarkIsSkippedOnlyAtTheStart) {
  for_each_chunking("\xEF\xBB\xBFtime,v\n\xEF\xBB\xBFx,1\n", [](const ReadResult& result) {
    EXPECT_EQ(result.records, (Records{{"time", "v"}, {"\xEF\xBB\xBFx", "1"}}));
    EXPECT_EQ(result.positions[0][0].column, 1u);  // the mark is not a character of the line
  });
}

TEST(CsvReader, BlankLinesAreSkipped) {
  for_each_chunking("a\n\n\r\nb\n\n", [](const ReadResult& result) {
    EXPECT_EQ(result.records, (Records{{"a"}, {"b"}}));
    ASSERT_EQ(result.positions.size(), 2u);
    EXPECT_EQ(result.positions[1][0].line, 4u);
  });
}

TEST(CsvReader, AQuotedEmptyLineIsARecord) {
  for_each_chunking("\"\"\n", [](const ReadResult& result) { EXPECT_EQ(result.records, (Records{{""}})); });
}

TEST(CsvReader, PositionsArePhysicalLinesAndCharacterColumns) {
  // Line 2 holds a field with an embedded newline, so the record after it starts on line 4.
  const std::string text =
      "h1,h2,h3\n"
      "\"x\ny\",é€,z\n"
      "1,\"a\"\"b\",3\n";
  for_each_chunking(text, [](const ReadResult& result) {
    ASSERT_EQ(result.positions.size(), 3u);
    EXPECT_EQ(result.positions[1][0].line, 2u);
    EXPECT_EQ(result.positions[1][0].column, 1u);
    EXPECT_EQ(result.positions[1][1].line, 3u);    // after the embedded newline
    EXPECT_EQ(result.positions[1][1].column, 4u);  // y"," then the field: characters, not bytes
    EXPECT_EQ(result.positions[1][2].line, 3u);
    EXPECT_EQ(result.positions[1][2].column, 7u);  // é and € count one each
    EXPECT_EQ(result.positions[2][0].line, 4u);
    EXPECT_EQ(result.positions[2][1].column, 3u);
    // The field after an unescaped "" field keeps its column.
    EXPECT_EQ(result.positions[2][2].column, 10u);
    EXPECT_EQ(result.records[2][1], "a\"b");
  });
}

TEST(CsvReader, UnterminatedQuoteAtTheEndIsAFatalErrorNamingItsLine) {
  for_each_chunking("a,b\n1,\"open\nmore\nstill open", [](const ReadResult& result) {
    EXPECT_EQ(result.records, (Records{{"a", "b"}}));
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_TRUE(result.errors[0].fatal);
    EXPECT_EQ(result.errors[0].position.line, 2u);
    EXPECT_EQ(result.errors[0].position.column, 3u);
    EXPECT_NE(result.errors[0].message.find("not closed"), std::string::npos) << result.errors[0].message;
  });
}

TEST(CsvReader, CharacterAfterAClosingQuoteRefusesTheRecordAndGoesOn) {
  for_each_chunking("a,b\n\"x\"y,2\n3,4\n", [](const ReadResult& result) {
    EXPECT_EQ(result.records, (Records{{"a", "b"}, {"3", "4"}}));
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_FALSE(result.errors[0].fatal);
    EXPECT_EQ(result.errors[0].position.line, 2u);
    EXPECT_EQ(result.errors[0].position.column, 4u);
    ASSERT_EQ(result.positions.size(), 2u);
    EXPECT_EQ(result.positions[1][0].line, 3u);
  });
}

TEST(CsvReader, ErrorInsideAMultiLineRecordResumesAfterTheBadLine) {
  for_each_chunking("\"a\nb\"c\nnext\n", [](const ReadResult& result) {
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_EQ(result.errors[0].position.line, 2u);
    EXPECT_EQ(result.errors[0].position.column, 3u);
    EXPECT_EQ(result.records, (Records{{"next"}}));
    EXPECT_EQ(result.positions[0][0].line, 3u);
  });
}

TEST(CsvReader, RecordLongerThanTheBoundStopsReading) {
  const std::string text = "a\n\"" + std::string(1000, 'x') + "\n";
  const ReadResult result = read_all(text, 100, 64, ',', 256);
  EXPECT_EQ(result.records, (Records{{"a"}}));
  ASSERT_EQ(result.errors.size(), 1u);
  EXPECT_TRUE(result.errors[0].fatal);
  EXPECT_EQ(result.errors[0].position.line, 2u);
}

TEST(CsvReader, LongRecordsGrowTheBufferWithinTheBound) {
  const std::string long_field(5000, 'y');
  const ReadResult result = read_all("\"" + long_field + "\",1\n2,3\n", 33, 64);
  EXPECT_EQ(result.records, (Records{{long_field, "1"}, {"2", "3"}}));
}

TEST(CsvReader, OtherDelimiters) {
  const ReadResult tabs = read_all("a\tb,c\t\"d\te\"\n", 3, 64, '\t');
  EXPECT_EQ(tabs.records, (Records{{"a", "b,c", "d\te"}}));
  const ReadResult semicolons = read_all("1;2\n", 1, 64, ';');
  EXPECT_EQ(semicolons.records, (Records{{"1", "2"}}));
}

TEST(CsvReader, ManyRecordsAcrossManyRefills) {
  std::string text = "ts,host,value\n";
  for (int row = 0; row < 5000; ++row) {
    text += std::to_string(1700000000 + row) + ",\"h," + std::to_string(row % 7) + "\"," +
            std::to_string(row) + "\n";
  }
  const ReadResult result = read_all(text, 997, 128);
  ASSERT_EQ(result.records.size(), 5001u);
  EXPECT_EQ(result.records[4000], (std::vector<std::string>{"1700003999", "h,2", "3999"}));
  EXPECT_EQ(result.positions[4000][2].line, 4001u);
  EXPECT_TRUE(result.errors.empty());
}

class FailingSource final : public input::ByteSource {
 public:
  wavefront::Expected<std::size_t> read(char* out, std::size_t capacity) override {
    if (calls_++ == 0 && capacity >= 4) {
      std::memcpy(out, "a,b\n", 4);
      return std::size_t{4};
    }
    return wavefront::Status(wavefront::ErrorCode::io_error, "disk on fire");
  }

 private:
  int calls_ = 0;
};

TEST(CsvReader, ReadErrorsAreFatalAndMarked) {
  FailingSource source;
  CsvReader reader(source);
  CsvRecord record;
  ASSERT_EQ(reader.next(record), CsvReader::Result::record);
  ASSERT_EQ(reader.next(record), CsvReader::Result::error);
  EXPECT_TRUE(reader.error().read_failed);
  EXPECT_TRUE(reader.error().fatal);
  EXPECT_EQ(reader.error().message, "disk on fire");
  EXPECT_EQ(reader.next(record), CsvReader::Result::end);
}

// Found by csv_fuzz: a quote still open at the end of the input was located through the previous
// record's bytes (a use after free once the buffer had grown).
TEST(CsvReader, AnOpenQuoteAtTheEndIsLocatedInItsOwnRecord) {
  for (const std::string& text : {std::string("\"never closed"),
                                  std::string("a,b\n") + std::string(300, 'x') + ",\"open\nstill open"}) {
    for_each_chunking(text, [&](const ReadResult& result) {
      ASSERT_EQ(result.errors.size(), 1u);
      EXPECT_TRUE(result.errors[0].fatal);
      EXPECT_EQ(result.errors[0].position.line, text[0] == '"' ? 1u : 2u);
      EXPECT_EQ(result.errors[0].position.column, text[0] == '"' ? 1u : 302u);
    });
  }
}

// Found by csv_fuzz: after a quoted field with "" and a line break, the columns of the fields after
// it counted multi-byte characters wrongly (unescaping in place moved the bytes under them).
TEST(CsvReader, ColumnsAfterAnEscapedMultilineFieldCountCharacters) {
  const std::string text = "\"a\"\"b\n\xC3\xA9\xC3\xA9\",x,y\n";
  for_each_chunking(text, [&](const ReadResult& result) {
    ASSERT_EQ(result.records.size(), 1u);
    EXPECT_EQ(result.records[0], (std::vector<std::string>{"a\"b\n\xC3\xA9\xC3\xA9", "x", "y"}));
    EXPECT_EQ(result.positions[0][1].line, 2u);
    EXPECT_EQ(result.positions[0][1].column, 5u);  // é é " , then x
    EXPECT_EQ(result.positions[0][2].column, 7u);
  });
}

}  // namespace
}  // namespace wfsend::import
