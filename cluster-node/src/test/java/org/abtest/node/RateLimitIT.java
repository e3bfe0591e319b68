package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.abtest.deploy.testing.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A key's own rate limit on a real node: kept in the credentials table, honoured on requests. */
@ExtendWith(RealServers.class)
class RateLimitIT {

  @Test
  void aKeysOwnRateLimitIsStoredWithItAndHonouredByTheNodeAndAfterARestart() throws Exception {
    String key;
    try (TestNode node = TestNode.start("ratelimit_it")) {
      // a 503 says retry: on a loaded machine the credentials table may still be taking its
      // columns (AddedColumn) when the node first reports ready
      AtomicReference<TestNode.Reply> reply = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                reply.set(
                    node.call(
                        "POST",
                        "/v1/sdk-keys",
                        TestNode.ADMIN,
                        "{\"environment\": \"production\", \"name\": \"web\","
                            + " \"rateLimit\": {\"perSecond\": 3}}"));
                return reply.get().status() != 503;
              });
      var issued = reply.get();
      assertThat(issued.status()).isEqualTo(201);
      assertThat(issued.body().at("/rateLimit/perSecond").asInt()).isEqualTo(3);
      key = issued.body().get("key").asText();

      int refused = 0;
      for (int i = 0; i < 30; i++) {
        refused +=
            node.call("POST", "/v1/assignments", key, "{\"unit\": \"u1\", \"log\": false}").status()
                    == 429
                ? 1
                : 0;
      }
      // 3/s with 2 s of burst: 6 at once, and a few more while the loop runs
      assertThat(refused).isGreaterThanOrEqualTo(15);
      // the dev key has the default (thousands per second): untouched
      assertThat(node.call("GET", "/v1/assignments?unit=u1&log=false", TestNode.SDK, null).status())
          .isEqualTo(200);
    }
    try (TestNode restarted = TestNode.start("ratelimit_it")) {
      var me =
          ExperimentsIT.eventually(
              () -> restarted.call("GET", "/v1/me", key, null), r -> r.status() == 200);
      assertThat(me.body().at("/rateLimit/perSecond").asInt()).isEqualTo(3);
    }
  }
}
