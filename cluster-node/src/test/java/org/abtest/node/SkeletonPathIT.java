package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.abtest.deploy.testing.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The walking skeleton through every real part: an experiment persisted in Cassandra, assignments
 * from the evaluator's manifest, events acknowledged by Kafka, and exposure counts from the
 * aggregators that consume them; then a restart that keeps it all.
 */
@ExtendWith(RealServers.class)
class SkeletonPathIT {

  private static final String EXPERIMENT =
      """
      {"key": "checkout-button", "name": "Green checkout button",
       "variants": [{"key": "control", "weight": 5000},
                    {"key": "green", "weight": 5000, "config": {"color": "green"}}]}
      """;

  @Test
  void createAssignSendEventsAndReadResultsThenSurviveARestart() throws Exception {
    try (TestNode node = TestNode.start("skeleton_it")) {
      var created = node.call("POST", "/v1/experiments", TestNode.ADMIN, EXPERIMENT);
      assertThat(created.status()).isEqualTo(201);
      assertThat(
              node.call("POST", "/v1/experiments/checkout-button/start", TestNode.ADMIN, null)
                  .status())
          .isEqualTo(200);

      // bucket(salt, unit) decides; whichever variant user-42 gets, it is stable and in the
      // manifest.
      var assigned =
          eventually(
              () ->
                  node.call(
                      "POST",
                      "/v1/assignments",
                      TestNode.SDK,
                      "{\"unit\": \"user-42\", \"log\": false}"),
              r -> r.body().get("assignments").size() == 1);
      String variant = assigned.body().at("/assignments/0/variant").asText();
      assertThat(variant).isIn("control", "green");

      var events =
          node.call(
              "POST",
              "/v1/events",
              TestNode.SDK,
              """
              {"events": [
                {"eventId": "e-1", "type": "exposure", "unit": "user-42", "experiment": "checkout-button", "variant": "%s", "ts": "2026-11-22T10:00:00Z"},
                {"eventId": "e-2", "type": "exposure", "unit": "user-43", "experiment": "checkout-button", "variant": "control", "ts": "2026-11-22T10:00:01Z"},
                {"eventId": "e-3", "type": "exposure", "unit": "user-42", "experiment": "checkout-button", "variant": "%s", "ts": "2026-11-22T10:00:02Z"},
                {"eventId": "e-4", "type": "metric", "unit": "user-42", "event": "purchase", "value": 12.5, "ts": "2026-11-22T10:05:00Z"}]}
              """
                  .formatted(variant, variant));
      assertThat(events.status()).isEqualTo(202);
      assertThat(events.body().get("accepted").asInt()).isEqualTo(4);

      var results =
          eventually(
              () ->
                  node.call("GET", "/v1/experiments/checkout-button/results", TestNode.ADMIN, null),
              r -> totalUnits(r) == 2);
      assertThat(results.body().get("status").asText()).isEqualTo("RUNNING");
    }

    try (TestNode restarted = TestNode.start("skeleton_it")) {
      var experiment =
          restarted.call("GET", "/v1/experiments/checkout-button", TestNode.ADMIN, null);
      assertThat(experiment.status()).isEqualTo(200);
      assertThat(experiment.body().get("status").asText()).isEqualTo("RUNNING");
      var results =
          eventually(
              () ->
                  restarted.call(
                      "GET", "/v1/experiments/checkout-button/results", TestNode.ADMIN, null),
              r -> totalUnits(r) == 2);
      assertThat(results.status()).isEqualTo(200);
      var assigned =
          eventually(
              () ->
                  restarted.call(
                      "GET", "/v1/assignments?unit=user-42&log=false", TestNode.SDK, null),
              r -> r.body().get("assignments").size() == 1);
      assertThat(assigned.body().get("manifestVersion").asLong()).isEqualTo(2);
    }
  }

  private static int totalUnits(TestNode.Reply results) {
    if (results.status() != 200) {
      return -1;
    }
    int total = 0;
    for (var v : results.body().get("variants")) {
      total += v.get("units").asInt();
    }
    return total;
  }

  private static TestNode.Reply eventually(
      Callable<TestNode.Reply> call, java.util.function.Predicate<TestNode.Reply> done)
      throws Exception {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(call, done);
  }
}
