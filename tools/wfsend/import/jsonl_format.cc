// `--format jsonl`: one call per JSON line, as in the conformance vectors (jsonl_import.h), on the importer
// registry.
#include <memory>

#include "wfsend/import/importer.h"
#include "wfsend/import/jsonl_import.h"

namespace wfsend::import {
namespace {

class JsonlImport final : public Importer {
 public:
  wavefront::Status start(input::ByteSource& input) override {
    input_ = &input;
    return wavefront::Status();
  }
  void run(ImportContext& context) override { JsonlImporter(context).run(*input_); }

 private:
  input::ByteSource* input_ = nullptr;
};

class JsonlFormat final : public ImportFormat {
 public:
  std::string name() const override { return "jsonl"; }
  std::string description() const override {
    return "calls as in the conformance vectors, one JSON object a line";
  }
  std::vector<std::string> extensions() const override { return {".jsonl", ".ndjson"}; }
  std::unique_ptr<Importer> make_importer(const std::string&, std::string&) override {
    return std::make_unique<JsonlImport>();
  }
};

}  // namespace

std::unique_ptr<ImportFormat> make_jsonl_format() { return std::make_unique<JsonlFormat>(); }

}  // namespace wfsend::import
