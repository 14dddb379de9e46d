// Unit tests for sender URLs, the factory's errors, Retry-After parsing, CSP refresh timing and the
// small JSON field reader.
#include <gtest/gtest.h>

#include <cstdlib>

#include "wavefront/auth/csp_token_source.h"
#include "wavefront/auth/json_field.h"
#include "wavefront/client_factory.h"
#include "wavefront/transport/http_exchange.h"

namespace wavefront {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(SenderUrl, ParsesEveryForm) {
  auto proxy = parse_sender_url("proxy://wf-proxy");
  ASSERT_TRUE(proxy.ok());
  EXPECT_EQ(proxy->kind, SenderUrl::Kind::proxy_http);
  EXPECT_EQ(proxy->host, "wf-proxy");
  EXPECT_EQ(proxy->port, 2878);

  auto http = parse_sender_url("http://10.0.0.5:4242/");
  ASSERT_TRUE(http.ok());
  EXPECT_EQ(http->kind, SenderUrl::Kind::proxy_http);
  EXPECT_EQ(http->port, 4242);

  auto direct = parse_sender_url("https://secret-token@example.wavefront.com");
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(direct->kind, SenderUrl::Kind::direct_https);
  EXPECT_EQ(direct->token, "secret-token");
  EXPECT_EQ(direct->port, 443);
  EXPECT_EQ(direct->redacted(), "https://***@example.wavefront.com:443");

  auto with_port = parse_sender_url("https://t@example.com:8443");
  ASSERT_TRUE(with_port.ok());
  EXPECT_EQ(with_port->port, 8443);

  auto tcp = parse_sender_url("tcp://[::1]:30000");
  ASSERT_TRUE(tcp.ok());
  EXPECT_EQ(tcp->kind, SenderUrl::Kind::proxy_tcp);
  EXPECT_EQ(tcp->host, "::1");
  EXPECT_EQ(tcp->port, 30000);
  EXPECT_EQ(tcp->redacted(), "tcp://[::1]:30000");
}

TEST(SenderUrl, TokenOverPlainHttpIsIgnored) {
  auto http = parse_sender_url("http://leaky-token@proxy:2878");
  ASSERT_TRUE(http.ok());
  EXPECT_TRUE(http->ignored_token);
  EXPECT_EQ(http->token, "");
  EXPECT_EQ(http->redacted().find("leaky"), std::string::npos);
}

TEST(SenderUrl, MalformedUrlsSayWhatIsWrongWithoutShowingTokens) {
  const std::pair<const char*, const char*> cases[] = {
      {"", "empty"},
      {"wf-proxy:2878", "no scheme"},
      {"ftp://host", "unsupported scheme"},
      {"http://", "host is empty"},
      {"http://host:", "port after ':' is empty"},
      {"http://host:99999", "not a number from 1 to 65535"},
      {"http://host:0", "not a number from 1 to 65535"},
      {"http://host:abc", "not a number"},
      {"https://[::1", "closing ']'"},
      {"https://host/api/v2", "path"},
      {"https://@host", "token before '@' is empty"},
      {"http://ho st", "contains ' '"},
  };
  for (const auto& [url, expected] : cases) {
    const auto parsed = parse_sender_url(url);
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_EQ(parsed.status().code(), ErrorCode::invalid_argument);
    EXPECT_NE(parsed.status().message().find(expected), std::string::npos) << parsed.status().message();
  }
  const auto with_token = parse_sender_url("https://very-secret@host:notaport");
  ASSERT_FALSE(with_token.ok());
  EXPECT_EQ(with_token.status().message().find("very-secret"), std::string::npos)
      << with_token.status().message();
}

TEST(MakeSender, NeedsAUrlOrTheEnvironment) {
  ::unsetenv("WAVEFRONT_URL");
  const auto missing = make_sender("");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("WAVEFRONT_URL"), std::string::npos);
  ::setenv("WAVEFRONT_URL", "tcp://127.0.0.1:1", 1);
  SenderConfig settings;
  settings.close_timeout = milliseconds(10);
  EXPECT_TRUE(make_sender("", settings).ok());
  ::unsetenv("WAVEFRONT_URL");
  const auto bad = make_sender("tcp://127.0.0.1:1, gopher://x");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("gopher"), std::string::npos);
}

TEST(MakeSender, SeveralUrlsMakeAMultiSender) {
  SenderConfig settings;
  settings.close_timeout = milliseconds(10);
  auto sender = make_sender("tcp://127.0.0.1:1,http://127.0.0.1:2", settings);
  ASSERT_TRUE(sender.ok()) << sender.status().to_string();
  auto* multi = dynamic_cast<MultiSender*>(sender.get());
  ASSERT_NE(multi, nullptr);
  EXPECT_EQ(multi->endpoint_count(), 2u);
  EXPECT_EQ(multi->endpoint_name(0), "tcp://127.0.0.1:1");
  EXPECT_EQ(multi->endpoint_name(1), "http://127.0.0.1:2");
}

TEST(RetryAfter, SecondsAndDates) {
  const auto now = std::chrono::system_clock::from_time_t(1445412480);  // Wed, 21 Oct 2015 07:28:00 GMT
  EXPECT_EQ(transport::parse_retry_after("120", now), milliseconds(120000));
  EXPECT_EQ(transport::parse_retry_after("0", now), milliseconds(0));
  EXPECT_EQ(transport::parse_retry_after("", now), milliseconds(0));
  EXPECT_EQ(transport::parse_retry_after("soon", now), milliseconds(0));
  EXPECT_EQ(transport::parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now), milliseconds(30000));
  EXPECT_EQ(transport::parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), milliseconds(0));
}

TEST(Csp, RefreshScheduleFollowsTheSpec) {
  EXPECT_EQ(auth::csp_refresh_delay(seconds(300)), seconds(270));
  EXPECT_EQ(auth::csp_refresh_delay(seconds(599)), seconds(569));
  EXPECT_EQ(auth::csp_refresh_delay(seconds(600)), seconds(420));
  EXPECT_EQ(auth::csp_refresh_delay(seconds(1800)), seconds(1620));
  EXPECT_EQ(auth::csp_refresh_delay(seconds(10)), seconds(1));
}

TEST(JsonField, ReadsTopLevelFields) {
  const std::string json =
      R"({"scope":{"nested":"access_token"},"list":[1,{"a":"b"}],"access_token":"tok\"en\u0041","expires_in": 1799,)"
      R"("id_token":"x"})";
  EXPECT_EQ(auth::json_string_field(json, "access_token"), std::optional<std::string>("tok\"enA"));
  EXPECT_EQ(auth::json_number_field(json, "expires_in"), std::optional<double>(1799));
  EXPECT_FALSE(auth::json_string_field(json, "nested").has_value());
  EXPECT_FALSE(auth::json_string_field("not json", "access_token").has_value());
  EXPECT_FALSE(auth::json_number_field(R"({"expires_in":"soon"})", "expires_in").has_value());
}

}  // namespace
}  // namespace wavefront
