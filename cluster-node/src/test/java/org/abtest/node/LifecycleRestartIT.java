package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.aggregate.UnitHasher;
import org.abtest.analytics.replay.LogReplay;
import org.abtest.analytics.units.EventStreams;
import org.abtest.analytics.units.UnitStateSettings;
import org.abtest.deploy.testing.RealServers;
import org.abtest.node.replay.Replay;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.Experiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A paused and a concluded experiment through a restart: the node restores snapshots taken while
 * both ran and replays the log after them with neither in its manifest. Their definitions come from
 * the stored history, so the replayed exposures count, and the results equal the numbers before the
 * restart, the naive recomputation and a replay of the whole log, exactly.
 */
@ExtendWith(RealServers.class)
class LifecycleRestartIT {

  private static final Map<String, String> ENV =
      Map.of(
          "ABTEST_SNAPSHOT_INTERVAL",
          "300ms",
          // a snapshot is due once the records since the last number its bytes: the first batch is
          // snapshotted, the second (a quarter of the units, a few dozen records per partition) not
          "ABTEST_SNAPSHOT_BYTES_PER_RECORD",
          "1",
          "ABTEST_HOLD",
          "10m",
          "ABTEST_COVARIATE_SLACK",
          "36500d",
          "ABTEST_COVARIATE_EVENTS_PER_UNIT",
          "8");

  /** The default heap, with three minutes to get ready (the machine is shared). */
  private static final List<String> HEAP = List.of("-Xmx512m");

  @Test
  void pausedAndConcludedExperimentsKeepEveryExposureThroughARestart() throws Exception {
    File log = new File("target/lifecycle_it-node.log");
    List<TrackedEvent> events = EventStreams.generate(11, 2000);
    // units split in two: the second part's units are new to the restored snapshots
    List<TrackedEvent> first = events.stream().filter(e -> !late(e)).toList();
    List<TrackedEvent> second = events.stream().filter(LifecycleRestartIT::late).toList();
    assertThat(second).isNotEmpty();
    Map<String, Map<String, Object>> before = new java.util.HashMap<>();

    NodeProcess node = NodeProcess.start("lifecycle_it", ENV, log, HEAP);
    try {
      EventsFixture.createExperiments(node::call);
      EventsFixture.send(node::call, first);
      for (String key : List.of("checkout", "search")) {
        Map<String, Object> expected = EventsFixture.expected(node::call, key, first);
        assertThat(EventsFixture.awaitNumbers(node::call, key, expected)).isEqualTo(expected);
      }
      Thread.sleep(2000); // a deliberate pause: snapshots of the first part are written
      EventsFixture.send(node::call, second);
      for (String key : List.of("checkout", "search")) {
        Map<String, Object> expected = EventsFixture.expected(node::call, key, events);
        assertThat(EventsFixture.awaitNumbers(node::call, key, expected)).isEqualTo(expected);
      }
      transition(node, "checkout", "pause", "PAUSED");
      transition(node, "search", "conclude", "CONCLUDED");
      for (String key : List.of("checkout", "search")) {
        before.put(key, EventsFixture.live(node::call, key));
      }
    } finally {
      node.kill(); // no last snapshot: the second part is replayed from the log
    }

    NodeProcess restarted = NodeProcess.start("lifecycle_it", ENV, log, HEAP);
    try {
      // a deliberate pause, then one look: the new owner has replayed the second part and
      // published well within this
      Thread.sleep(15_000);
      for (String key : List.of("checkout", "search")) {
        Map<String, Object> expected = EventsFixture.expected(restarted::call, key, events);
        assertThat(before.get(key)).isEqualTo(expected);
        assertThat(EventsFixture.live(restarted::call, key)).isEqualTo(expected);

        Experiment experiment =
            Replay.experiment(
                restarted.call("GET", "/v1/experiments/" + key, TestNode.ADMIN, null).body());
        var replayed =
            LogReplay.replay(
                RealServers.endpoints().kafkaBootstrap(),
                "lifecycle_it-events",
                EventsFixture.definition(experiment),
                new UnitHasher("local-unit-hash-key"),
                new UnitStateSettings(
                        Duration.ofHours(24), 24, Duration.ofMinutes(10), 64, 1_000_000)
                    .withCovariate(Duration.ofDays(7), Duration.ofDays(36500), 8));
        assertThat(Replay.numbers(replayed, experiment)).isEqualTo(expected);
      }
    } finally {
      restarted.stop();
    }
  }

  private static boolean late(TrackedEvent e) {
    return Math.floorMod(e.unit().hashCode(), 4) == 0;
  }

  private static void transition(NodeProcess node, String key, String action, String status)
      throws Exception {
    var reply = node.call("POST", "/v1/experiments/" + key + "/" + action, TestNode.ADMIN, null);
    assertThat(reply.status()).as(String.valueOf(reply.body())).isEqualTo(200);
    assertThat(reply.body().get("status").asText()).isEqualTo(status);
  }
}
