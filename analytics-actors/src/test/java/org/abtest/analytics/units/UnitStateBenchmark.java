package org.abtest.analytics.units;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.protocol.Json;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.MetricKind;
import org.junit.jupiter.api.Test;

/**
 * On demand only (not matched by the test includes): {@code mvn -o test -pl analytics-actors -am
 * -Dtest=UnitStateBenchmark -Dsurefire.failIfNoSpecifiedTests=false}. Events per second through one
 * partition's pure core, JSON parsing included, with default dedup and hold.
 */
class UnitStateBenchmark {

  @Test
  void eventsPerSecondThroughOnePartitionsCore() throws Exception {
    var definition =
        ExperimentDefinition.of(
            "exp",
            1,
            List.of(
                new MetricDefinition("conv", "buy", MetricKind.PROPORTION, 168),
                new MetricDefinition("rev", "buy", MetricKind.MEAN, 168)));
    Random random = new Random(1);
    Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
    List<String> log = new ArrayList<>();
    int units = 200_000;
    for (int u = 0; u < units; u++) {
      log.add(json(TrackedEvent.exposure("x" + u, "user-" + u, "exp", u % 2 == 0 ? "a" : "b", t0)));
    }
    for (int i = 0; i < 1_800_000; i++) {
      log.add(
          json(
              new TrackedEvent(
                  "m" + i,
                  "metric",
                  "user-" + random.nextInt(units),
                  null,
                  null,
                  random.nextInt(4) == 0 ? "buy" : "view",
                  random.nextInt(100) / 4.0,
                  t0.plusSeconds(60),
                  null)));
    }
    for (int round = 0; round < 3; round++) {
      var state =
          // as the node wires it: covariate history for the event types experiments use
          new PartitionState(
              new UnitHasher("k"), k -> definition, definition::uses, UnitStateSettings.DEFAULTS);
      long start = System.nanoTime();
      long recordTime = t0.toEpochMilli();
      for (String record : log) {
        state.apply(Json.mapper().readValue(record, TrackedEvent.class), recordTime++ / 100);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "round %d: %d events in %.2f s = %.0f events/s (held %d)%n",
          round, log.size(), seconds, log.size() / seconds, state.heldEvents());
    }
  }

  private static String json(TrackedEvent e) throws Exception {
    return Json.mapper().writeValueAsString(e);
  }
}
