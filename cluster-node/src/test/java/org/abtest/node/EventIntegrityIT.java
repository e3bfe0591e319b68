package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abtest.deploy.testing.RealServers;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The attack of issue 13 against a real node, Kafka and Cassandra, with the public SDK key: a batch
 * of wrong-variant exposures (back-dated, for units already counted and for new ones) is rejected
 * event by event and moves no unit, so a real sample-ratio mismatch stays visible; a far-future
 * time is rejected rather than accepted and lost downstream.
 */
@ExtendWith(RealServers.class)
class EventIntegrityIT {

  private static final String KEY = "srm-check";

  private static final String EXPERIMENT =
      """
      {"key": "srm-check", "name": "SRM check",
       "variants": [{"key": "control", "weight": 5000}, {"key": "treatment", "weight": 5000}],
       "metrics": [{"key": "bought", "event": "purchase", "kind": "proportion"}]}
      """;

  @Test
  void forgedExposuresChangeNothingAndAFarFutureTimeIsRejected() throws Exception {
    // the edge as production runs it, not the synthetic-log settings of the other tests
    try (TestNode node =
        TestNode.start(
            "event_integrity_it",
            """
            abtest.events.verify-exposures = on
            abtest.events.max-lateness = 7d
            """)) {
      // A 503 is "not confirmed" (decisions §12), and a loaded machine gives some at first:
      // retried, a create that did land answers 409, a start that did 409 too.
      EventsFixture.eventually(
          () -> node.call("POST", "/v1/experiments", TestNode.ADMIN, EXPERIMENT),
          r -> r.status() == 201 || r.status() == 409);
      EventsFixture.eventually(
          () -> node.call("POST", "/v1/experiments/srm-check/start", TestNode.ADMIN, null),
          r -> r.status() == 200 || r.status() == 409);
      EventsFixture.eventually(
          () -> assign(node, "probe"), r -> r.body().get("assignments").size() == 1);

      // A client that logs control twice as often as treatment: a real SRM.
      Map<String, List<String>> byVariant = unitsByVariant(node, 1100, 300);
      List<String> control = byVariant.get("control").subList(0, 600);
      List<String> treatment = byVariant.get("treatment").subList(0, 300);
      Instant now = Instant.now();
      List<JsonNode> honest = new ArrayList<>();
      control.forEach(u -> honest.add(exposure(KEY, "h-" + u, u, "control", now)));
      treatment.forEach(u -> honest.add(exposure(KEY, "h-" + u, u, "treatment", now)));
      JsonNode sent = post(node, honest);
      assertThat(sent.get("accepted").asInt()).isEqualTo(900);
      JsonNode before = awaitUnits(node, Map.of("control", 600L, "treatment", 300L));
      assertThat(before.at("/srm/mismatch").asBoolean()).as(before.toString()).isTrue();

      // 500 forged exposures that would cure the SRM: 250 counted control units claimed for
      // treatment back-dated before their first exposure, and 250 new control units as treatment.
      List<JsonNode> forged = new ArrayList<>();
      Instant earlier = now.minusSeconds(3600);
      control
          .subList(0, 250)
          .forEach(u -> forged.add(exposure(KEY, "f-" + u, u, "treatment", earlier)));
      byVariant
          .get("control")
          .subList(600, 850)
          .forEach(u -> forged.add(exposure(KEY, "f-" + u, u, "treatment", now)));
      JsonNode answer = post(node, forged);
      assertThat(answer.get("accepted").asInt()).isZero();
      assertThat(answer.get("rejected")).hasSize(500);
      answer
          .get("rejected")
          .forEach(r -> assertThat(r.at("/error/code").asText()).isEqualTo("invalid_variant"));

      // Far-future and far-past times are rejected naming ts; a marker proves the log moved on.
      String marker = byVariant.get("treatment").get(300);
      JsonNode times =
          post(
              node,
              List.of(
                  metric("t-9999", control.get(0), Instant.parse("9999-12-31T23:59:59Z")),
                  metric("t-future", control.get(1), now.plusSeconds(3600)),
                  metric("t-past", control.get(2), now.minusSeconds(8 * 86_400)),
                  exposure(KEY, "marker", marker, "treatment", now)));
      assertThat(times.get("accepted").asInt()).isEqualTo(1);
      assertThat(times.get("rejected"))
          .extracting(r -> r.at("/error/code").asText() + " " + r.at("/error/field").asText())
          .containsExactly("ts_out_of_range ts", "ts_out_of_range ts", "ts_out_of_range ts");

      JsonNode after = awaitUnits(node, Map.of("control", 600L, "treatment", 301L));
      assertThat(after.at("/srm/mismatch").asBoolean()).as(after.toString()).isTrue();
      System.out.printf(
          "EventIntegrityIT: SRM p before %.3g, after the forged batch %.3g%n",
          before.at("/srm/pValue").asDouble(), after.at("/srm/pValue").asDouble());
    }
  }

  /**
   * An exposure made before a pause and posted after it (a batch in flight) counts; one made after
   * the pause is refused, and so is one from before it once the grace is over (issue 15).
   */
  @Test
  void anExposureMadeBeforeAPauseAndPostedAfterItCountsAndOneMadeAfterItDoesNot() throws Exception {
    try (TestNode node =
        TestNode.start(
            "event_in_flight_it",
            """
            abtest.events.verify-exposures = on
            abtest.events.max-lateness = 7d
            """)) {
      String experiment = EXPERIMENT.replace("srm-check", "in-flight");
      EventsFixture.eventually(
          () -> node.call("POST", "/v1/experiments", TestNode.ADMIN, experiment),
          r -> r.status() == 201 || r.status() == 409);
      EventsFixture.eventually(
          () -> node.call("POST", "/v1/experiments/in-flight/start", TestNode.ADMIN, null),
          r -> r.status() == 200 || r.status() == 409);
      EventsFixture.eventually(
          () -> assign(node, "probe"), r -> r.body().get("assignments").size() == 1);
      Map<String, List<String>> byVariant = unitsByVariant(node, 40, 40);
      Instant made = Instant.now();
      List<JsonNode> live = new ArrayList<>();
      List<JsonNode> inFlight = new ArrayList<>();
      for (String variant : List.of("control", "treatment")) {
        List<String> units = byVariant.get(variant);
        units
            .subList(0, 20)
            .forEach(u -> live.add(exposure("in-flight", "l-" + u, u, variant, made)));
        units
            .subList(20, 40)
            .forEach(u -> inFlight.add(exposure("in-flight", "i-" + u, u, variant, made)));
      }
      assertThat(post(node, live).get("accepted").asInt()).isEqualTo(40);

      EventsFixture.eventually(
          () -> node.call("POST", "/v1/experiments/in-flight/pause", TestNode.ADMIN, null),
          r -> r.status() == 200);
      EventsFixture.eventually(
          () -> assign(node, "probe"), r -> r.body().get("assignments").isEmpty());

      JsonNode late = post(node, inFlight);
      assertThat(late.get("accepted").asInt()).as(late.toString()).isEqualTo(40);
      String unit = byVariant.get("control").get(40 - 1);
      JsonNode after =
          post(node, List.of(exposure("in-flight", "a-" + unit, unit, "control", Instant.now())));
      assertThat(after.get("accepted").asInt()).isZero();
      assertThat(after.at("/rejected/0/error/code").asText()).isEqualTo("unknown_experiment");
      awaitUnits(node, "in-flight", Map.of("control", 40L, "treatment", 40L));
    }
  }

  private static TestNode.Reply assign(TestNode node, String unit) throws Exception {
    return node.call(
        "POST", "/v1/assignments", TestNode.SDK, "{\"unit\": \"" + unit + "\", \"log\": false}");
  }

  /** Units the platform puts in each variant, at least as many as asked for each. */
  private static Map<String, List<String>> unitsByVariant(TestNode node, int control, int treatment)
      throws Exception {
    Map<String, List<String>> out = new TreeMap<>();
    out.put("control", new ArrayList<>());
    out.put("treatment", new ArrayList<>());
    for (int i = 0;
        out.get("control").size() < control || out.get("treatment").size() <= treatment;
        i++) {
      String unit = "user-" + i;
      out.get(assign(node, unit).body().at("/assignments/0/variant").asText()).add(unit);
    }
    return out;
  }

  private static ObjectNode exposure(
      String experiment, String id, String unit, String variant, Instant ts) {
    return Json.mapper()
        .createObjectNode()
        .put("eventId", id)
        .put("type", "exposure")
        .put("unit", unit)
        .put("experiment", experiment)
        .put("variant", variant)
        .put("ts", ts.toString());
  }

  private static ObjectNode metric(String id, String unit, Instant ts) {
    return Json.mapper()
        .createObjectNode()
        .put("eventId", id)
        .put("type", "metric")
        .put("unit", unit)
        .put("event", "purchase")
        .put("ts", ts.toString());
  }

  private static JsonNode post(TestNode node, List<JsonNode> events) throws Exception {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode array = body.putArray("events");
    events.forEach(array::add);
    var reply = node.call("POST", "/v1/events", TestNode.SDK, body.toString());
    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(202);
    return reply.body();
  }

  /** The results once each variant shows exactly these units (a minute at most). */
  private static JsonNode awaitUnits(TestNode node, Map<String, Long> expected) throws Exception {
    return awaitUnits(node, KEY, expected);
  }

  private static JsonNode awaitUnits(TestNode node, String key, Map<String, Long> expected)
      throws Exception {
    return EventsFixture.eventually(
            () -> node.call("GET", "/v1/experiments/" + key + "/results", TestNode.ADMIN, null),
            r -> r.status() == 200 && units(r.body()).equals(expected))
        .body();
  }

  private static Map<String, Long> units(JsonNode results) {
    Map<String, Long> out = new TreeMap<>();
    results
        .path("variants")
        .forEach(v -> out.put(v.get("variant").asText(), v.get("units").asLong()));
    return out;
  }
}
