package org.abtest.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
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
 * Events through the real pipeline (HTTP → Kafka → unit-state actors → aggregators) against real
 * Kafka and Cassandra: a generated stream with duplicates, late and pre-exposure events and
 * multiple exposures gives exactly the numbers of an independent naive recomputation, and a replay
 * of the topic from offset 0 gives the same numbers again.
 */
@ExtendWith(RealServers.class)
class AggregationIT {

  @Test
  void resultsEqualANaiveRecomputationAndAReplayOfTheLog() throws Exception {
    // the generated events carry fixed timestamps of 2026-11-22: a slack of a century keeps their
    // pre-exposure history whenever the test runs; 8 events per unit and type keep every one
    try (TestNode node =
        TestNode.start(
            "aggregation_it",
            """
            abtest.aggregation.hold = 10m
            abtest.aggregation.covariate-slack = 36500d
            abtest.aggregation.covariate-events-per-unit = 8
            """)) {
      EventsFixture.createExperiments(node::call);
      List<TrackedEvent> events = EventStreams.generate(42, 1500);
      EventsFixture.send(node::call, events);

      for (String key : List.of("checkout", "search")) {
        Map<String, Object> expected = EventsFixture.expected(node::call, key, events);
        // the CUPED sums are part of the comparison, and not trivially zero
        assertThat(expected)
            .anySatisfy(
                (name, value) -> {
                  assertThat(name).endsWith(".covariate.sumProducts");
                  assertThat((Double) value).isPositive();
                });
        if (key.equals("checkout")) {
          // the cap of 60 bites: units above it count 60 in revenue_capped, in full in revenue
          for (String v : List.of("control", "treatment")) {
            assertThat((Double) expected.get("metric.revenue_capped." + v + ".sum"))
                .isLessThan((Double) expected.get("metric.revenue." + v + ".sum"))
                .isPositive();
            // the ratio's denominators (views in the hour after exposure) and their products
            assertThat((Double) expected.get("metric.revenue_per_view." + v + ".covariate.sum"))
                .isPositive();
            assertThat(
                    (Double)
                        expected.get("metric.revenue_per_view." + v + ".covariate.sumProducts"))
                .isPositive();
          }
        }
        assertThat(EventsFixture.awaitNumbers(node::call, key, expected)).isEqualTo(expected);
        var results =
            node.call("GET", "/v1/experiments/" + key + "/results", TestNode.ADMIN, null).body();
        assertThat(results.at("/metrics/0/comparisons/0/cuped/theta").isNumber())
            .as(results.toString())
            .isTrue();
        if (key.equals("checkout")) {
          assertThat(results.at("/metrics/3/metric").asText()).isEqualTo("revenue_capped");
          assertThat(results.at("/metrics/3/cap/value").asDouble()).isEqualTo(60);
          var ratio = results.at("/metrics/4");
          assertThat(ratio.get("kind").asText()).isEqualTo("ratio");
          assertThat(ratio.at("/variants/0/denominator/sum").asDouble()).isPositive();
          assertThat(ratio.at("/comparisons/0/pValue").isNumber()).as(ratio.toString()).isTrue();
        }

        Experiment experiment =
            Replay.experiment(
                node.call("GET", "/v1/experiments/" + key, TestNode.ADMIN, null).body());
        var replayed =
            LogReplay.replay(
                RealServers.endpoints().kafkaBootstrap(),
                "aggregation_it-events",
                EventsFixture.definition(experiment),
                new UnitHasher("local-unit-hash-key"),
                new UnitStateSettings(
                        Duration.ofHours(24), 24, Duration.ofMinutes(10), 64, 1_000_000)
                    .withCovariate(Duration.ofDays(7), Duration.ofDays(36500), 8));
        assertThat(Replay.numbers(replayed, experiment)).isEqualTo(expected);
      }

      var series =
          node.call("GET", "/v1/experiments/checkout/results/timeseries", TestNode.ADMIN, null);
      assertThat(series.status()).isEqualTo(200);
      assertThat(series.body().get("points")).isNotEmpty();
      // a phase's first day is in 5-minute buckets on the clock
      Instant bucket = Instant.parse(series.body().at("/points/0/hour").asText());
      assertThat(bucket.getEpochSecond() % 300).isZero();
      assertThat(bucket).isBetween(Instant.now().minus(Duration.ofHours(1)), Instant.now());
      assertThat(series.body().at("/points/0/end").asText())
          .isEqualTo(bucket.plus(Duration.ofMinutes(5)).toString());
    }
  }
}
