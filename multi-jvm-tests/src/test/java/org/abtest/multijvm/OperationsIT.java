package org.abtest.multijvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, first "Done when": a 3-node cluster on real Kafka and Cassandra runs a script of
 * ordinary operations under continuous event load, and after each step the live results of every
 * experiment's current phase equal both an independent recomputation from the accepted events
 * ({@link OpsLedger}, which states the counting rules) and the project's replay of the log ({@link
 * OpsCheck}). Three experiments: {@code ops-life} goes through pause, resume, a sticky weight
 * change, a new phase and conclude; {@code ops-paused} is paused at the second step and stays so;
 * {@code ops-steady} runs throughout. The load is drained (no batch in flight) for each lifecycle
 * change, until every node's assignments show it, and for each check; it runs through restarts,
 * joins and leaves. Every step's outcome is printed with its time; the test fails at the end,
 * naming every check that did not hold. Events edge with verify-exposures on, as in production.
 */
class OperationsIT {

  static final String LIFE = "ops-life";
  static final String PAUSED = "ops-paused";
  static final String STEADY = "ops-steady";
  static final List<String> KEYS = List.of(LIFE, PAUSED, STEADY);
  static final Duration LOAD = Duration.ofSeconds(Long.getLong("abtest.ops.loadSeconds", 8));

  private static final Map<String, String> ENV = Map.of("ABTEST_EVENTS_VERIFY_EXPOSURES", "on");

  @Test
  void resultsStayExactThroughLifecycleChangesRestartsMembershipChangesAndAFailedSnapshot()
      throws Exception {
    long begin = System.nanoTime();
    try (Region region = Region.start("operations", 32000, 0)) {
      region.startNodes(3, ENV);
      OpsLedger ledger = new OpsLedger();
      OpsLoad load = new OpsLoad(KEYS, region::anyNode, ledger);
      OpsSteps steps = new OpsSteps(region, load, new OpsCheck(region, ledger), KEYS);
      System.out.printf("[ops] region up in %.1f s%n", (System.nanoTime() - begin) / 1e9);
      Thread sender = new Thread(load, "ops-load");
      sender.setDaemon(true);
      try {
        steps.step("setup", () -> KEYS.forEach(steps::createAndStart));
        sender.start();
        steps.checked("exposures", () -> steps.loadFor(LOAD));
        steps.checked("pause", () -> steps.lifecycle(List.of(LIFE, PAUSED), "pause"));
        steps.checked("resume", () -> steps.lifecycle(List.of(LIFE), "resume"));
        steps.checked("sticky weights", () -> steps.weights(LIFE, 2000, 8000, true));
        steps.checked("new phase", () -> steps.weights(LIFE, 5000, 5000, false));
        steps.checked("conclude", () -> steps.lifecycle(List.of(LIFE), "conclude"));
        steps.checked("rolling restart", () -> steps.rollingRestart(ENV));
        steps.checked("node added", () -> steps.addNode(3, ENV));
        steps.checked("node removed", () -> steps.removeNode(3));
        steps.checked("snapshot fails once", () -> steps.snapshotFailsOnce(ENV));
      } finally {
        load.stop();
      }
      System.out.printf(
          "[ops] %d events accepted (%d metric), %d batches, %d failed attempts, rejected %s;"
              + " whole run %.1f s%n",
          ledger.exposures(LIFE)
              + ledger.exposures(PAUSED)
              + ledger.exposures(STEADY)
              + ledger.metricEvents(),
          ledger.metricEvents(),
          load.batchesAcked.get(),
          load.attemptsFailed.get(),
          load.rejectedByCode,
          (System.nanoTime() - begin) / 1e9);
      steps.printSummary();
      assertThat(load.failure).as("the load thread's failure").isNull();
      List<String> failed = new ArrayList<>(steps.actionFailures);
      steps.outcomes().stream()
          .filter(o -> !o.ok())
          .forEach(
              o ->
                  failed.add(
                      o.step()
                          + "/"
                          + o.experiment()
                          + (o.live() ? "" : " live " + o.liveDiff())
                          + (o.replay() ? "" : " replay " + o.replayDiff())));
      assertThat(failed).as("checks that did not hold").isEmpty();
    }
  }
}
