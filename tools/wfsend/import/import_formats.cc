// The registry of import formats; see importer.h.
#include "wfsend/import/importer.h"

namespace wfsend::import {

ImportFormats make_import_formats() {
  ImportFormats formats;
  formats.push_back(make_csv_format());
  formats.push_back(make_lines_format());
  formats.push_back(make_jsonl_format());
  // The formats people migrate from (import_run.cc names the first three apart in its usage error).
  formats.push_back(make_prometheus_format());
  formats.push_back(make_influx_format());
  formats.push_back(make_graphite_format());
  formats.push_back(make_opentsdb_format());
  return formats;
}

}  // namespace wfsend::import
