package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.abtest.deploy.servers.JvmFlags;
import org.abtest.deploy.testing.RealServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The node-wide unit-state budget (abtest.aggregation.state-budget) is what sheds here, not the
 * heap: a node whose heap has room but whose unit state reaches a deliberately small budget must
 * shed events with 503, slow its consumer (abtest_ingestion_paused_seconds_total), keep assigning,
 * and still count every acknowledged event exactly once.
 */
@ExtendWith(RealServers.class)
class StateBudgetIT {

  private static final String NAMESPACE = "state_budget_it";

  /**
   * 4 MiB holds some 40k units of this load (an entry and two event ids each); the consumer slows
   * from 0.8 of it, one batch per partition per second at most, and events are shed from 0.85.
   */
  private static final Map<String, String> ENV =
      Map.of(
          "ABTEST_STATE_BUDGET", "4MiB",
          "ABTEST_CONSUMER_PAUSE_AT", "0.8",
          "ABTEST_CONSUMER_MAX_PAUSE", "1s",
          "ABTEST_SNAPSHOT_INTERVAL", "2s");

  @Test
  void aNodeAtItsUnitStateBudgetShedsSlowsItsConsumerAndCountsEveryAcknowledgedEventOnce()
      throws Exception {
    List<String> jvm = new ArrayList<>(JvmFlags.NODE);
    jvm.add("-Xmx768m");
    NodeProcess node =
        NodeProcess.start(NAMESPACE, ENV, new File("target/state_budget_it-node.log"), jvm);
    try {
      String salt = SheddingLoad.startExperiment(node::call, "budgeted");
      SheddingLoad load = new SheddingLoad(node::call, "budgeted", salt);
      load.run(2, Duration.ofSeconds(30), Duration.ofSeconds(15), Duration.ofSeconds(120));
      System.out.printf(
          "StateBudgetIT: %d events acknowledged, %d batches shed, unit-state budget up to %.1f %%,"
              + " heap after GC up to %.1f %%, assignment p99 %.2f ms while shedding%n",
          load.accepted.sum(),
          load.shed.sum(),
          load.maxUnitStateBudgetPermille.get() / 10.0,
          load.maxHeapAfterGcPermille.get() / 10.0,
          SheddingLoad.percentileMillis(load.assignmentNanosWhileShedding, 0.99));

      assertThat(node.isAlive()).isTrue();
      assertThat(load.unexpected).isEmpty();
      assertThat(load.shed.sum()).as("batches refused with 503 overloaded").isPositive();
      assertThat(load.maxUnitStateBudgetPermille.get())
          .as("the unit-state budget's share seen in /health/ready")
          .isGreaterThanOrEqualTo(850);
      assertThat(load.assignmentFailures.get()).isZero();
      assertThat(load.notReady.get()).isZero();
      assertThat(pausedSeconds(node)).as("abtest_ingestion_paused_seconds_total").isPositive();

      Map<String, Object> expected = load.expected();
      assertThat(load.awaitNumbers(node::call, expected, Duration.ofMinutes(3)))
          .isEqualTo(expected);
    } finally {
      node.stop();
    }
  }

  private static final Pattern PAUSED =
      Pattern.compile("(?m)^abtest_ingestion_paused_seconds_total ([0-9.eE+-]+)$");

  private static double pausedSeconds(NodeProcess node) throws Exception {
    String scrape =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(node.baseUrl() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = PAUSED.matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }
}
