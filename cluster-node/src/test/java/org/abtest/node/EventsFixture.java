package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.units.EventStreams;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.analytics.units.NaiveTotals;
import org.abtest.node.replay.Replay;
import org.abtest.protocol.Json;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.Experiment;
import org.hamcrest.Matchers;

/**
 * The two experiments of {@link EventStreams} as the API creates them, the generated events sent
 * through {@code POST /v1/events}, and the numbers an independent naive recomputation expects.
 */
final class EventsFixture {

  /** Everything in these tests is sent within minutes: every pre-exposure event is still held. */
  static final long HOLD_FOREVER = Long.MAX_VALUE / 4;

  static final String CHECKOUT =
      """
      {"key": "checkout", "name": "Checkout",
       "variants": [{"key": "control", "weight": 5000}, {"key": "treatment", "weight": 5000}],
       "metrics": [
         {"key": "converted", "event": "purchase", "kind": "proportion", "attributionWindowHours": 1},
         {"key": "revenue", "event": "purchase", "kind": "mean"},
         {"key": "funnel", "event": "purchase", "kind": "proportion", "attributionWindowHours": 2,
          "steps": ["view", "cart", "purchase"]},
         {"key": "revenue_capped", "event": "purchase", "kind": "mean", "cap": {"value": 60}},
         {"key": "revenue_per_view", "kind": "ratio", "attributionWindowHours": 1,
          "numerator": {"event": "purchase", "aggregate": "sum"},
          "denominator": {"event": "view", "aggregate": "count"}}]}
      """;

  static final String SEARCH =
      """
      {"key": "search", "name": "Search",
       "variants": [{"key": "control", "weight": 5000}, {"key": "treatment", "weight": 5000}],
       "metrics": [
         {"key": "clicks", "event": "click", "kind": "mean", "attributionWindowHours": 2},
         {"key": "bought", "event": "purchase", "kind": "proportion"}]}
      """;

  private EventsFixture() {}

  interface Caller {
    TestNode.Reply call(String method, String path, String token, String body) throws Exception;
  }

  /** Creates and starts both experiments, and waits until the manifest holds both. */
  static void createExperiments(Caller node) throws Exception {
    for (String body : List.of(CHECKOUT, SEARCH)) {
      var created = node.call("POST", "/v1/experiments", TestNode.ADMIN, body);
      assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
      String key = created.body().get("key").asText();
      assertThat(
              node.call("POST", "/v1/experiments/" + key + "/start", TestNode.ADMIN, null).status())
          .isEqualTo(200);
    }
    eventually(
        () ->
            node.call(
                "POST", "/v1/assignments", TestNode.SDK, "{\"unit\": \"probe\", \"log\": false}"),
        r -> r.status() == 200 && r.body().get("assignments").size() == 2);
  }

  static void send(Caller node, List<TrackedEvent> events) throws Exception {
    for (int from = 0; from < events.size(); from += 1000) {
      ObjectNode body = Json.mapper().createObjectNode();
      ArrayNode array = body.putArray("events");
      events
          .subList(from, Math.min(events.size(), from + 1000))
          .forEach(e -> array.add(Json.mapper().valueToTree(e)));
      var reply = node.call("POST", "/v1/events", TestNode.SDK, body.toString());
      assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(202);
      assertThat(reply.body().get("rejected")).isEmpty();
    }
  }

  /** What the results document must show, from the naive recomputation over {@code events}. */
  static Map<String, Object> expected(Caller node, String key, List<TrackedEvent> events)
      throws Exception {
    Experiment experiment =
        Replay.experiment(node.call("GET", "/v1/experiments/" + key, TestNode.ADMIN, null).body());
    ExperimentDefinition definition = definition(experiment);
    var naive =
        NaiveTotals.computeWithoutStreamTime(
            events.stream().map(e -> new NaiveTotals.Record(e, 0)).toList(),
            definition,
            HOLD_FOREVER);
    return Replay.numbers(
        new ExperimentTotals(
            key,
            experiment.phase(),
            Instant.EPOCH,
            naive.units(),
            naive.metrics(),
            naive.funnel(),
            naive.multipleExposureUnits()),
        experiment);
  }

  static ExperimentDefinition definition(Experiment experiment) {
    return ExperimentDefinition.of(experiment.key(), experiment.phase(), experiment.metrics());
  }

  static Map<String, Object> live(Caller node, String key) throws Exception {
    return Replay.numbers(
        node.call("GET", "/v1/experiments/" + key + "/results", TestNode.ADMIN, null).body());
  }

  /**
   * Waits up to a minute for the live numbers to equal {@code expected}; returns them. On timeout
   * the failure shows the last numbers seen against {@code expected}.
   */
  static Map<String, Object> awaitNumbers(Caller node, String key, Map<String, Object> expected) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> live(node, key), Matchers.equalTo(expected));
  }

  interface Call {
    TestNode.Reply get() throws Exception;
  }

  static TestNode.Reply eventually(Call call, Predicate<TestNode.Reply> done) throws Exception {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(call::get, done);
  }
}
