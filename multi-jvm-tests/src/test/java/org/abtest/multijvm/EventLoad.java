package org.abtest.multijvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.abtest.protocol.Json;

/**
 * Generated traffic for one experiment and the offline recomputation of its results from the events
 * that were acknowledged with 202. Each unit gets one exposure and 0–3 purchases with integer
 * values, all in one batch (so a retried batch repeats every eventId of it), which keeps the
 * recomputation obvious: a unit counts once, a purchase counts once per eventId.
 */
final class EventLoad {

  static String experimentJson(String key) {
    return """
        {"key": "%s", "name": "Fault test %s",
         "variants": [{"key": "control", "weight": 5000}, {"key": "treatment", "weight": 5000}],
         "metrics": [{"key": "bought", "event": "purchase", "kind": "proportion"},
                     {"key": "revenue", "event": "purchase", "kind": "mean"}],
         "primaryMetric": "bought"}
        """
        .formatted(key, key);
  }

  /** One unit's events, as one batch element list. */
  record UnitEvents(String unit, String variant, List<Long> purchases) {}

  final String experiment;
  final String runId;
  private final List<UnitEvents> acked = new ArrayList<>();
  final AtomicLong batchesAcked = new AtomicLong();
  final AtomicLong attemptsFailed = new AtomicLong();
  final Map<Integer, Long> failuresByStatus = new TreeMap<>();

  EventLoad(String experiment) {
    this.experiment = experiment;
    this.runId = Long.toHexString(System.nanoTime());
  }

  static List<UnitEvents> units(String prefix, int from, int count) {
    List<UnitEvents> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      String variant = ((i * 0x9E3779B97F4A7C15L) >>> 40) % 2 == 0 ? "control" : "treatment";
      List<Long> purchases = new ArrayList<>();
      for (int p = 0; p < (i * 31L) % 4; p++) {
        purchases.add(1 + (i * 13L + p * 5L) % 50);
      }
      out.add(new UnitEvents(prefix + "-u" + i, variant, List.copyOf(purchases)));
    }
    return out;
  }

  String batch(List<UnitEvents> units) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode events = body.putArray("events");
    Instant now = Instant.now();
    for (UnitEvents u : units) {
      events
          .addObject()
          .put("eventId", runId + "-" + u.unit() + "-x")
          .put("type", "exposure")
          .put("unit", u.unit())
          .put("experiment", experiment)
          .put("variant", u.variant())
          .put("ts", now.toString());
      for (int p = 0; p < u.purchases().size(); p++) {
        events
            .addObject()
            .put("eventId", runId + "-" + u.unit() + "-p" + p)
            .put("type", "metric")
            .put("unit", u.unit())
            .put("event", "purchase")
            .put("value", u.purchases().get(p))
            .put("ts", now.plusMillis(1 + p).toString());
      }
    }
    return body.toString();
  }

  /**
   * Sends one batch, trying the nodes in turn until one answers 202 or {@code deadline} passes.
   * Returns the statuses of the failed attempts.
   */
  List<Integer> sendUntilAcked(
      List<UnitEvents> units, Supplier<Http> nextNode, long deadlineNanos, long pauseMillis)
      throws InterruptedException {
    String body = batch(units);
    List<Integer> failures = new ArrayList<>();
    while (System.nanoTime() < deadlineNanos) {
      Http.Reply reply = nextNode.get().call("POST", "/v1/events", NodeJvm.SDK, body);
      if (reply.status() == 202) {
        synchronized (this) {
          acked.addAll(units);
        }
        batchesAcked.incrementAndGet();
        return failures;
      }
      failures.add(reply.status());
      attemptsFailed.incrementAndGet();
      synchronized (this) {
        failuresByStatus.merge(reply.status(), 1L, Long::sum);
      }
      Thread.sleep(pauseMillis); // a client's pause before it retries the batch
    }
    throw new AssertionError("batch never acknowledged; failed attempts " + failures);
  }

  synchronized int ackedUnits() {
    return acked.size();
  }

  /**
   * The numbers the results document must show, recomputed from the acknowledged events: per
   * variant the units, and per metric and variant n, sum and sum of squares of per-unit values.
   */
  synchronized Map<String, Object> expected() {
    Map<String, Long> units = new TreeMap<>();
    Map<String, double[]> bought = new TreeMap<>();
    Map<String, double[]> revenue = new TreeMap<>();
    for (UnitEvents u : acked) {
      units.merge(u.variant(), 1L, Long::sum);
      double converted = u.purchases().isEmpty() ? 0 : 1;
      double spent = u.purchases().stream().mapToLong(Long::longValue).sum();
      add(bought, u.variant(), converted);
      add(revenue, u.variant(), spent);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("units", units);
    out.put("bought", render(bought));
    out.put("revenue", render(revenue));
    return out;
  }

  private static void add(Map<String, double[]> sums, String variant, double value) {
    double[] s = sums.computeIfAbsent(variant, v -> new double[3]);
    s[0] += 1;
    s[1] += value;
    s[2] += value * value;
  }

  private static Map<String, List<Double>> render(Map<String, double[]> sums) {
    Map<String, List<Double>> out = new TreeMap<>();
    sums.forEach((v, s) -> out.put(v, List.of(s[0], s[1], s[2])));
    return out;
  }

  /** The same numbers read off a results document. */
  static Map<String, Object> live(JsonNode results) {
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, Long> units = new TreeMap<>();
    if (results == null || !results.has("variants")) {
      return out;
    }
    for (JsonNode v : results.get("variants")) {
      if (v.path("units").asLong() > 0) {
        units.put(v.get("variant").asText(), v.path("units").asLong());
      }
    }
    out.put("units", units);
    for (JsonNode metric : results.path("metrics")) {
      Map<String, List<Double>> sums = new TreeMap<>();
      for (JsonNode v : metric.path("variants")) {
        if (v.path("n").asLong() > 0) {
          sums.put(
              v.get("variant").asText(),
              List.of(
                  (double) v.path("n").asLong(),
                  v.path("sum").asDouble(),
                  v.path("sumSquares").asDouble()));
        }
      }
      out.put(metric.get("metric").asText(), sums);
    }
    return out;
  }
}
