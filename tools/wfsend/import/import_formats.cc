// The registry of import formats; see importer.h.
#include "wfsend/import/importer.h"

namespace wfsend::import {

ImportFormats make_import_formats() {
  ImportFormats formats;
  formats.push_back(make_csv_format());
  formats.push_back(make_lines_format());
  formats.push_back(make_jsonl_format());
  return formats;
}

}  // namespace wfsend::import
