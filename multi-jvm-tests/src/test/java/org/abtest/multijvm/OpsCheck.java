package org.abtest.multijvm;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.ingest.AggregationConfig;
import org.abtest.analytics.replay.LogReplay;
import org.abtest.analytics.units.ExperimentDefinition;
import org.abtest.analytics.units.UnitStateSettings;
import org.abtest.node.replay.Replay;
import org.abtest.protocol.experiment.Experiment;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The check after each step of the operations test, for each experiment: the live results of its
 * current phase (GET /v1/experiments/{key}/results, from any node) against the independent
 * recomputation ({@link OpsLedger}), and the project's replay of the topic from offset 0 ({@link
 * LogReplay}, with the nodes' own unit-state settings and hash key) against it too. Live is given
 * {@link #SETTLE} to catch up; every outcome is recorded, so that one run reports every step.
 */
final class OpsCheck {

  static final Duration SETTLE = Duration.ofSeconds(Long.getLong("abtest.ops.settleSeconds", 40));
  static final List<OpsLedger.Metric> METRICS =
      List.of(
          new OpsLedger.Metric("bought", "purchase", true),
          new OpsLedger.Metric("revenue", "purchase", false));

  record Outcome(
      String step,
      String experiment,
      int phase,
      boolean live,
      boolean replay,
      List<String> liveDiff,
      List<String> replayDiff) {

    boolean ok() {
      return live && replay;
    }
  }

  private final Region region;
  private final OpsLedger ledger;
  private final UnitStateSettings unitState =
      AggregationConfig.unitState(ConfigFactory.load().getConfig("abtest.aggregation"));
  private final UnitHasher hasher =
      new UnitHasher(ConfigFactory.load().getString("abtest.unit-hash-key"));
  final List<Outcome> outcomes = new ArrayList<>();

  OpsCheck(Region region, OpsLedger ledger) {
    this.region = region;
    this.ledger = ledger;
  }

  /** Checks every experiment; the load must be drained. Returns this step's outcomes. */
  List<Outcome> after(String step, List<String> keys) throws Exception {
    Map<String, Experiment> experiments = new LinkedHashMap<>();
    Map<String, List<ExperimentDefinition>> phases = new LinkedHashMap<>();
    Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
    for (String key : keys) {
      JsonNode document = get("/v1/experiments/" + key);
      Experiment e = Replay.experiment(document);
      experiments.put(key, e);
      phases.put(key, Replay.phases(document, e)); // each exposure in the phase of its ts
      expected.put(
          key,
          ledger.numbers(
              key, e.phase(), e.variants().stream().map(v -> v.key()).toList(), METRICS));
    }
    Map<String, Map<String, Object>> live = new LinkedHashMap<>();
    try {
      await()
          .atMost(SETTLE)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                for (String key : keys) {
                  JsonNode doc = get("/v1/experiments/" + key + "/results");
                  if (doc != null && doc.path("phase").asInt() == experiments.get(key).phase()) {
                    live.put(key, Replay.numbers(doc));
                  }
                }
                return keys.stream().allMatch(k -> expected.get(k).equals(live.get(k)));
              });
    } catch (ConditionTimeoutException e) {
      // not settled: the outcomes below say which numbers differ
    }
    List<Outcome> out = new ArrayList<>();
    for (String key : keys) {
      Experiment e = experiments.get(key);
      Map<String, Object> replayed =
          Replay.numbers(
              LogReplay.replay(
                  region.kafka.bootstrap(),
                  Region.TOPIC,
                  phases.get(key),
                  e.phase(),
                  hasher,
                  unitState),
              e);
      List<String> liveDiff =
          live.containsKey(key)
              ? diff(expected.get(key), "live", live.get(key))
              : List.of("no results document of phase " + e.phase());
      List<String> replayDiff = diff(expected.get(key), "replay", replayed);
      Outcome o =
          new Outcome(
              step, key, e.phase(), liveDiff.isEmpty(), replayDiff.isEmpty(), liveDiff, replayDiff);
      out.add(o);
      outcomes.add(o);
      System.out.printf(
          "[ops] %-22s %-12s phase %d units %s: live %s, replay %s%n",
          step,
          key,
          e.phase(),
          units(expected.get(key)),
          o.live() ? "equal" : "DIFFERENT " + first(liveDiff),
          o.replay() ? "equal" : "DIFFERENT " + first(replayDiff));
    }
    return out;
  }

  private static Map<String, Object> units(Map<String, Object> numbers) {
    Map<String, Object> out = new LinkedHashMap<>();
    numbers.forEach(
        (k, v) -> {
          if (k.startsWith("units.") || k.equals("multipleExposureUnits")) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** Replay.diff, with the sides named: the ledger's number, then the other one. */
  private static List<String> diff(
      Map<String, Object> ledger, String other, Map<String, Object> numbers) {
    return Replay.diff(ledger, numbers).stream()
        .map(d -> d.replace(": replay ", ": ledger ").replace(", live ", ", " + other + " "))
        .toList();
  }

  private static List<String> first(List<String> diff) {
    return diff.subList(0, Math.min(6, diff.size()));
  }

  private JsonNode get(String path) {
    return await("GET " + path + " answered by a node")
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> region.anyNode().call("GET", path, NodeJvm.ADMIN, null), r -> r.status() == 200)
        .body();
  }
}
