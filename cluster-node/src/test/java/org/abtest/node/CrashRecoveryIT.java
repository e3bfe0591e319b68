package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.List;
import java.util.Map;
import org.abtest.analytics.units.EventStreams;
import org.abtest.deploy.testing.RealServers;
import org.abtest.protocol.events.TrackedEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The consuming node is killed with SIGKILL while it is still working through accepted events,
 * after it has written some snapshots; a new node resumes from the last snapshot and its offset,
 * and once the rest of the stream is in, the numbers equal the naive recomputation exactly: nothing
 * lost, nothing counted twice.
 */
@ExtendWith(RealServers.class)
class CrashRecoveryIT {

  private static final Map<String, String> ENV =
      Map.of(
          "ABTEST_SNAPSHOT_INTERVAL",
          "300ms",
          // a snapshot at every check, so the kill lands after several, mid-stream
          "ABTEST_SNAPSHOT_BYTES_PER_RECORD",
          "0",
          "ABTEST_HOLD",
          "10m",
          // the generated events carry fixed timestamps: keep their pre-exposure history always
          "ABTEST_COVARIATE_SLACK",
          "36500d",
          "ABTEST_COVARIATE_EVENTS_PER_UNIT",
          "8");

  @Test
  void killNineMidStreamThenRestartLosesNothingAndCountsNothingTwice() throws Exception {
    File log = new File("target/crash_it-node.log");
    List<TrackedEvent> events = EventStreams.generate(7, 3000);
    int first = events.size() / 3;
    int second = 2 * events.size() / 3;

    NodeProcess node = NodeProcess.start("crash_it", ENV, log);
    try {
      EventsFixture.createExperiments(node::call);
      EventsFixture.send(node::call, events.subList(0, first));
      Thread.sleep(2000); // a deliberate pause: some snapshots with offsets are written
      EventsFixture.send(node::call, events.subList(first, second));
    } finally {
      node.kill(); // right after Kafka acknowledged: the node is mid-way through these records
    }

    NodeProcess restarted = NodeProcess.start("crash_it", ENV, log);
    try {
      EventsFixture.send(restarted::call, events.subList(second, events.size()));
      for (String key : List.of("checkout", "search")) {
        Map<String, Object> expected = EventsFixture.expected(restarted::call, key, events);
        assertThat(EventsFixture.awaitNumbers(restarted::call, key, expected)).isEqualTo(expected);
      }
    } finally {
      restarted.stop();
    }
  }
}
