// `wfsend send metric|delta|event`: one point from the command line, for scripts and cron jobs.
//
//   wfsend send metric cpu.usage 42.5 --source web-1 --tag env=prod --to tcp://proxy:2878
//   wfsend send delta jobs.done 1 --tag queue=email
//   wfsend send event "deploy v42" --tag severity=info --event-tag release
//
// Exit codes as for every subcommand (commands.h): 1 when the point is refused, with the reason.
#include <CLI/CLI.hpp>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "wavefront/types.h"
#include "wfsend/commands.h"
#include "wfsend/destination.h"
#include "wfsend/timestamp.h"

namespace wfsend {
namespace {

struct SendOptions {
  std::string name;
  std::string value_text;
  std::string source;
  std::vector<std::string> tags;
  std::string timestamp;
  std::string start;
  std::string end;
  std::vector<std::string> event_tags;
  DestinationOptions destination;
};

enum class PointKind { metric, delta, event };

// "k=v" → Tag; the first '=' splits (values may contain '=').
bool split_tags(const std::vector<std::string>& texts, std::vector<wavefront::Tag>& tags,
                std::string& error) {
  for (const std::string& text : texts) {
    const std::size_t equals = text.find('=');
    if (equals == std::string::npos) {
      error = "--tag " + text + ": expected KEY=VALUE";
      return false;
    }
    tags.emplace_back(std::string_view(text).substr(0, equals), std::string_view(text).substr(equals + 1));
  }
  return true;
}

int run_send(PointKind kind, const SendOptions& options) {
  std::vector<wavefront::Tag> tags;
  std::string error;
  if (!split_tags(options.tags, tags, error)) {
    std::cerr << "wfsend send: " << error << "\n";
    return kExitUsage;
  }
  double value = 0;
  wavefront::Timestamp timestamp;
  std::int64_t start_ms = 0, end_ms = 0;
  if (kind != PointKind::event) {
    try {
      std::size_t used = 0;
      value = std::stod(options.value_text, &used);
      if (used != options.value_text.size()) throw std::invalid_argument("trailing text");
    } catch (const std::exception&) {
      std::cerr << "wfsend send: VALUE " << options.value_text << " is not a number\n";
      return kExitUsage;
    }
    if (!options.timestamp.empty()) {
      const auto millis = parse_timestamp_ms(options.timestamp, TimestampUnit::automatic);
      if (!millis) {
        std::cerr << "wfsend send: --timestamp " << options.timestamp
                  << " is not epoch seconds, milliseconds or ISO 8601\n";
        return kExitUsage;
      }
      timestamp = point_timestamp_of_ms(*millis);
    }
  } else {
    for (auto [text, out, option] :
         {std::tuple(&options.start, &start_ms, "--start"), std::tuple(&options.end, &end_ms, "--end")}) {
      if (text->empty()) continue;
      const auto millis = parse_timestamp_ms(*text, TimestampUnit::automatic);
      if (!millis) {
        std::cerr << "wfsend send: " << option << " " << *text
                  << " is not epoch seconds, milliseconds or ISO 8601\n";
        return kExitUsage;
      }
      *out = *millis;
    }
    if (start_ms == 0) {
      start_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
    }
  }

  auto destination = open_destination(options.destination);
  if (!destination.ok()) {
    std::cerr << "wfsend send: " << destination.status().message() << "\n";
    return kExitUsage;
  }
  std::vector<std::string_view> event_tags(options.event_tags.begin(), options.event_tags.end());
  wavefront::Sender& sender = *destination->sender;
  wavefront::Status status;
  switch (kind) {
    case PointKind::metric:
      status = sender.send_metric(options.name, value, timestamp, options.source, tags);
      break;
    case PointKind::delta:
      status = sender.send_delta_counter(options.name, value, timestamp, options.source, tags);
      break;
    case PointKind::event:
      status = sender.send_event(options.name, start_ms, end_ms, options.source, tags, event_tags);
      break;
  }
  if (!status.ok()) {
    std::cerr << "wfsend send: " << wavefront::error_code_name(status.code()) << ": " << status.message()
              << "\n";
  }
  const wavefront::SenderStats stats = close_destination(*destination, options.destination);
  const Totals totals = totals_of(stats);
  if (totals.dropped != 0 || totals.queued != 0) {
    std::cerr << "wfsend send: not delivered to " << destination->description << " within "
              << options.destination.close_timeout_seconds << " s\n";
  }
  return exit_code_for(stats, 0);
}

void add_point_command(CLI::App& send, PointKind kind, int& exit_code) {
  static const char* const kDescriptions[] = {"Send one metric point", "Send one delta counter increment",
                                              "Send one event"};
  const char* name = kind == PointKind::metric ? "metric" : kind == PointKind::delta ? "delta" : "event";
  CLI::App* command = send.add_subcommand(name, kDescriptions[static_cast<int>(kind)]);
  auto options = std::make_shared<SendOptions>();
  command->add_option("name", options->name, kind == PointKind::event ? "Event name" : "Metric name")
      ->required();
  if (kind != PointKind::event) {
    command->add_option("value", options->value_text, "The value (a finite number)")->required();
    command->add_option("--timestamp", options->timestamp,
                        "Epoch seconds, milliseconds or ISO 8601 (default: the receiver's clock)");
  } else {
    command->add_option("--start", options->start, "Start: epoch s/ms or ISO 8601 (default: now)");
    command->add_option("--end", options->end, "End (default: an instant event)");
    command->add_option("--event-tag", options->event_tags, "A tag of the event (repeatable)");
  }
  command->add_option("--source", options->source, "Source (default: this host's name)");
  command->add_option("--tag", options->tags,
                      kind == PointKind::event ? "An annotation KEY=VALUE (repeatable)"
                                               : "A point tag KEY=VALUE (repeatable)");
  add_destination_options(*command, options->destination);
  command->callback([kind, options, &exit_code] { exit_code = run_send(kind, *options); });
}

}  // namespace

void add_send_command(CLI::App& app, int& exit_code) {
  CLI::App* send = app.add_subcommand("send", "Send one metric, delta counter or event");
  send->require_subcommand(1, 1);
  for (PointKind kind : {PointKind::metric, PointKind::delta, PointKind::event})
    add_point_command(*send, kind, exit_code);
}

}  // namespace wfsend
