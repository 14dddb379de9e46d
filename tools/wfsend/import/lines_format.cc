// `--format lines`: Wavefront data-format lines (lines_import.h), on the importer registry.
#include <memory>

#include "wfsend/import/importer.h"
#include "wfsend/import/lines_import.h"

namespace wfsend::import {
namespace {

class LinesImport final : public Importer {
 public:
  wavefront::Status start(input::ByteSource& input) override {
    input_ = &input;
    return wavefront::Status();
  }
  void run(ImportContext& context) override { LinesImporter(context).run(*input_); }

 private:
  input::ByteSource* input_ = nullptr;
};

class LinesFormat final : public ImportFormat {
 public:
  std::string name() const override { return "lines"; }
  std::string description() const override { return "Wavefront data format, any data type"; }
  std::vector<std::string> extensions() const override { return {}; }
  std::unique_ptr<Importer> make_importer(const std::string&, std::string&) override {
    return std::make_unique<LinesImport>();
  }
};

}  // namespace

std::unique_ptr<ImportFormat> make_lines_format() { return std::make_unique<LinesFormat>(); }

}  // namespace wfsend::import
