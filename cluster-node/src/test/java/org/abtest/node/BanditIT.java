package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import org.abtest.deploy.testing.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A bandit experiment on the real node: events through Kafka into the aggregators, and the bandit
 * updater moving the weights toward the arm that converts better, in the same phase, recorded in
 * the audit trail as the bandit's doing.
 */
@ExtendWith(RealServers.class)
class BanditIT {

  private static final String BANDIT =
      """
      {"key": "headline", "type": "bandit",
       "variants": [{"key": "plain", "weight": 5000}, {"key": "bold", "weight": 5000}],
       "metrics": [{"key": "clicked", "event": "click", "kind": "proportion"}],
       "primaryMetric": "clicked"}
      """;

  @Test
  void weightsMoveTowardTheArmThatConvertsBetterWithinThePhase() throws Exception {
    String fast =
        """
        abtest.bandit.interval = 1s
        abtest.bandit.min-units = 40
        """;
    try (TestNode node = TestNode.start("bandit_it", fast)) {
      assertThat(node.call("POST", "/v1/experiments", TestNode.ADMIN, BANDIT).status())
          .isEqualTo(201);
      assertThat(node.call("POST", "/v1/experiments/headline/start", TestNode.ADMIN, null).status())
          .isEqualTo(200);

      // 30 units per arm; "plain" converts 3 of 30, "bold" 24 of 30: P(bold best) ≈ 1.
      Instant t0 = Instant.now().minusSeconds(60);
      StringBuilder events = new StringBuilder("{\"events\": [");
      for (int i = 0; i < 60; i++) {
        String arm = i % 2 == 0 ? "plain" : "bold";
        int k = i / 2;
        boolean converts = arm.equals("plain") ? k < 3 : k < 24;
        events.append(i == 0 ? "" : ",");
        events.append(
            """
            {"eventId": "x-%d", "type": "exposure", "unit": "u-%d", "experiment": "headline",
             "variant": "%s", "ts": "%s"}"""
                .formatted(i, i, arm, t0.plusSeconds(i)));
        if (converts) {
          events.append(
              """
              ,{"eventId": "c-%d", "type": "metric", "unit": "u-%d", "event": "click",
               "ts": "%s"}"""
                  .formatted(i, i, t0.plusSeconds(i + 1)));
        }
      }
      var sent = node.call("POST", "/v1/events", TestNode.SDK, events.append("]}").toString());
      assertThat(sent.status()).isEqualTo(202);
      assertThat(sent.body().get("rejected")).isEmpty();

      TestNode.Reply experiment =
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> node.call("GET", "/v1/experiments/headline", TestNode.ADMIN, null),
                  e -> weightOf(e, "bold") > 9000);
      // All but the 5 % exploration floor goes to the better arm; the phase stays the first.
      assertThat(weightOf(experiment, "bold")).as("last reply %s", experiment).isEqualTo(9500);
      assertThat(weightOf(experiment, "plain")).isEqualTo(500);
      assertThat(experiment.body().get("phase").asInt()).isEqualTo(1);

      var history = node.call("GET", "/v1/experiments/headline/history", TestNode.ADMIN, null);
      assertThat(history.body().toString()).contains("bandit");
    }
  }

  private static int weightOf(TestNode.Reply experiment, String variant) {
    for (var v : experiment.body().get("variants")) {
      if (v.get("key").asText().equals(variant)) {
        return v.get("weight").asInt();
      }
    }
    return -1;
  }
}
