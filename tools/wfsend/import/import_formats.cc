// The registry of import formats; see importer.h.
#include "wfsend/import/importer.h"

namespace wfsend::import {

ImportFormats make_import_formats() {
  ImportFormats formats;
  // The formats people migrate from first, so that "give --format ..." ends with the original three.
  formats.push_back(make_prometheus_format());
  formats.push_back(make_influx_format());
  formats.push_back(make_graphite_format());
  formats.push_back(make_opentsdb_format());
  formats.push_back(make_csv_format());
  formats.push_back(make_lines_format());
  formats.push_back(make_jsonl_format());
  return formats;
}

}  // namespace wfsend::import
