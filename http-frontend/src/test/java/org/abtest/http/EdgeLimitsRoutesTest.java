package org.abtest.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rate limits as clients meet them: {@link EdgeTestServer#SMALL_LIMITS} (SDK keys at 5/s, a burst
 * of one second), on a clock that moves only when the test moves it.
 */
class EdgeLimitsRoutesTest {

  private static final String ASSIGN = "{\"unit\": \"user-1\", \"log\": false}";
  private static ActorTestKit testKit;
  private EdgeTestServer server;

  @BeforeAll
  static void start() {
    testKit = ActorTestKit.create();
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @BeforeEach
  void bind() throws Exception {
    server = new EdgeTestServer(testKit, EdgeTestServer.SMALL_LIMITS);
  }

  @AfterEach
  void unbind() {
    server.close();
  }

  private EdgeTestServer.Reply assign(String key) throws Exception {
    return server.call("POST", "/v1/assignments", key, ASSIGN);
  }

  private String issueKey(String body) throws Exception {
    EdgeTestServer.Reply issued = server.call("POST", "/v1/sdk-keys", FakeServices.ADMIN, body);
    assertThat(issued.status()).isEqualTo(201);
    return issued.body().get("key").asText();
  }

  private int served(String key, int attempts) throws Exception {
    int served = 0;
    for (int i = 0; i < attempts; i++) {
      served += assign(key).status() == 200 ? 1 : 0;
    }
    return served;
  }

  @Test
  void anSdkKeyOverItsLimitGets429WithRetryAfterAndAJsonBody() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(assign(FakeServices.SDK).status()).isEqualTo(200);
    }
    EdgeTestServer.Reply refused = assign(FakeServices.SDK);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.raw().headers().firstValue("Retry-After")).hasValue("1");
    assertThat(refused.body().at("/error/code").asText()).isEqualTo("rate_limited");
    assertThat(refused.body().at("/error/message").asText()).contains("rate limit");
  }

  @Test
  void oneKeyOverItsLimitGets429sWhileAnotherKeyIsStillServed() throws Exception {
    String greedy = issueKey("{\"environment\": \"production\", \"name\": \"greedy\"}");
    String modest = issueKey("{\"environment\": \"production\", \"name\": \"modest\"}");
    // 100 requests within one instant: the burst of 5 is served, 95 are refused
    assertThat(served(greedy, 100)).isEqualTo(5);
    assertThat(served(modest, 5)).isEqualTo(5);
    // a second later, 5 more tokens: the limit refuses, it does not ban
    server.nanos.addAndGet(1_000_000_000L);
    assertThat(served(greedy, 100)).isEqualTo(5);
  }

  @Test
  void aKeysOwnRateLimitIsHonouredOnTheFastPathAndOnRoutedRequests() throws Exception {
    EdgeTestServer.Reply issued =
        server.call(
            "POST",
            "/v1/sdk-keys",
            FakeServices.ADMIN,
            "{\"environment\": \"production\", \"name\": \"web\", \"rateLimit\": {\"perSecond\": 2}}");
    assertThat(issued.status()).isEqualTo(201);
    assertThat(issued.body().at("/rateLimit/perSecond").asInt()).isEqualTo(2);
    assertThat(issued.body().at("/rateLimit/default").asBoolean()).isFalse();
    String key = issued.body().get("key").asText();

    assertThat(served(key, 10)).isEqualTo(2);
    assertThat(server.call("GET", "/v1/manifest", key, null).status()).isEqualTo(429);
  }

  @Test
  void aKeyWithoutALimitOfItsOwnHasTheDefaultAndSaysSo() throws Exception {
    EdgeTestServer.Reply issued =
        server.call(
            "POST", "/v1/sdk-keys", FakeServices.ADMIN, "{\"environment\": \"production\"}");
    assertThat(issued.body().at("/rateLimit/perSecond").asInt()).isEqualTo(5);
    assertThat(issued.body().at("/rateLimit/default").asBoolean()).isTrue();
    String key = issued.body().get("key").asText();
    assertThat(server.call("GET", "/v1/me", key, null).body().at("/rateLimit/perSecond").asInt())
        .isEqualTo(5);
    assertThat(
            server
                .call("GET", "/v1/me", FakeServices.ADMIN, null)
                .body()
                .at("/rateLimit/perSecond")
                .asInt())
        .isEqualTo(50);
  }

  @Test
  void aRateLimitThatIsNotAPositiveIntegerUpToTheMaximumIs400NamingTheField() throws Exception {
    for (String perSecond : new String[] {"0", "-3", "1.5", "\"200\"", "1001", "null", "true"}) {
      EdgeTestServer.Reply reply =
          server.call(
              "POST",
              "/v1/sdk-keys",
              FakeServices.ADMIN,
              "{\"environment\": \"production\", \"rateLimit\": {\"perSecond\": "
                  + perSecond
                  + "}}");
      assertThat(reply.status()).as(perSecond).isEqualTo(400);
      assertThat(reply.body().at("/error/field").asText()).isEqualTo("rateLimit.perSecond");
    }
    EdgeTestServer.Reply notAnObject =
        server.call(
            "POST",
            "/v1/sdk-keys",
            FakeServices.ADMIN,
            "{\"environment\": \"production\", \"rateLimit\": 200}");
    assertThat(notAnObject.status()).isEqualTo(400);
    assertThat(notAnObject.body().at("/error/field").asText()).isEqualTo("rateLimit");
    EdgeTestServer.Reply unknown =
        server.call(
            "POST",
            "/v1/sdk-keys",
            FakeServices.ADMIN,
            "{\"environment\": \"production\", \"rateLimit\": {\"perSecond\": 5, \"burst\": 9}}");
    assertThat(unknown.body().at("/error/field").asText()).isEqualTo("rateLimit.burst");
    EdgeTestServer.Reply atTheMaximum =
        server.call(
            "POST",
            "/v1/sdk-keys",
            FakeServices.ADMIN,
            "{\"environment\": \"production\", \"rateLimit\": {\"perSecond\": 1000}}");
    assertThat(atTheMaximum.status()).isEqualTo(201);
  }

  @Test
  void requestsWithoutAValidCredentialAreLimitedPerClientAddress() throws Exception {
    String[] first = {"X-Forwarded-For", "6.6.6.6, 203.0.113.1"};
    assertThat(server.call("GET", "/v1/experiments", null, null, first).status()).isEqualTo(401);
    assertThat(server.call("GET", "/v1/experiments", "forged", null, first).status())
        .isEqualTo(401);
    // the fast path hands an unknown credential to the routes, which count it per address too
    assertThat(server.call("POST", "/v1/assignments", "forged", ASSIGN, first).status())
        .isEqualTo(401);
    EdgeTestServer.Reply refused = server.call("GET", "/no/such/path", null, null, first);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.body().at("/error/code").asText()).isEqualTo("rate_limited");
    assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();

    // what the client writes left of our proxy's entry does not make it someone else
    String[] spoofed = {"X-Forwarded-For", "1.1.1.1, 203.0.113.1"};
    assertThat(server.call("GET", "/v1/experiments", null, null, spoofed).status()).isEqualTo(429);
    String[] other = {"X-Forwarded-For", "203.0.113.2"};
    assertThat(server.call("GET", "/v1/experiments", null, null, other).status()).isEqualTo(401);
    // and a credential is its own bucket, wherever it comes from
    assertThat(server.call("GET", "/v1/experiments", FakeServices.VIEWER, null, first).status())
        .isEqualTo(200);
  }

  @Test
  void healthAndMetricsAreNeverLimited() throws Exception {
    String[] probe = {"X-Forwarded-For", "10.0.0.1"};
    for (int i = 0; i < 4; i++) {
      server.call("GET", "/console/", null, null, probe);
    }
    assertThat(server.call("GET", "/console/", null, null, probe).status()).isEqualTo(429);
    for (int i = 0; i < 20; i++) {
      assertThat(server.call("GET", "/health/alive", null, null, probe).status()).isEqualTo(200);
      assertThat(server.call("GET", "/metrics", null, null, probe).status()).isEqualTo(200);
    }
  }

  @Test
  void refusalsAndBucketsAreExportedAsMetrics() throws Exception {
    served(FakeServices.SDK, 7);
    String[] stranger = {"X-Forwarded-For", "198.51.100.7"};
    for (int i = 0; i < 5; i++) {
      server.call("GET", "/v1/experiments", null, null, stranger);
    }
    String metrics = server.call("GET", "/metrics", null, null).raw().body();
    assertThat(metrics)
        .contains("abtest_rate_limited_total{kind=\"sdk_key\"} 2.0")
        .contains("abtest_rate_limited_total{kind=\"anonymous\"} 2.0")
        .contains("abtest_rate_limit_buckets{scope=\"credential\"} 1.0")
        .contains("abtest_rate_limit_buckets{scope=\"address\"}")
        .contains("abtest_streams_open 0.0");
  }
}
