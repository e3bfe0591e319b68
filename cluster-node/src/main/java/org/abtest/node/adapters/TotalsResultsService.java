package org.abtest.node.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.aggregate.ExperimentAggregator;
import org.abtest.analytics.aggregate.ExperimentTotals;
import org.abtest.analytics.aggregate.MetricSums;
import org.abtest.analytics.aggregate.ResultsTimeseries;
import org.abtest.analytics.aggregate.SeriesBuckets;
import org.abtest.analytics.results.TotalsSource;
import org.abtest.http.ports.ExperimentService;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.MetricDefinition;
import org.abtest.protocol.experiment.Variant;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The merged {@link ExperimentTotals} of an experiment's phase and its persisted sequential ledger,
 * from its aggregator (what the results document is built from), and the bucketed snapshots of
 * those totals for {@code …/results/timeseries}: per bucket (5 minutes in a phase's first day,
 * hours after, see {@link SeriesBuckets}), units per variant, the exact per-metric sums with mean
 * and variance, the funnel and the data-quality count.
 */
public final class TotalsResultsService implements TotalsSource {

  private final ExperimentService experiments;
  private final ClusterSharding sharding;
  private final ResultsTimeseries timeseries;
  private final SeriesBuckets buckets;
  private final Duration timeout;
  private final Clock clock;

  public TotalsResultsService(
      ExperimentService experiments,
      ClusterSharding sharding,
      ResultsTimeseries timeseries,
      SeriesBuckets buckets,
      Duration timeout,
      Clock clock) {
    this.experiments = experiments;
    this.sharding = sharding;
    this.timeseries = timeseries;
    this.buckets = buckets;
    this.timeout = timeout;
    this.clock = clock;
  }

  /** The merged totals of an experiment's current phase, for results and replay checks. */
  @Override
  public CompletionStage<ExperimentTotals> totals(String key, int phase) {
    return aggregate(key)
        .thenApply(
            t ->
                t.byPhase()
                    .getOrDefault(
                        phase,
                        new ExperimentTotals(
                            key, phase, clock.instant(), Map.of(), Map.of(), Map.of(), 0)));
  }

  /** The aggregator's state as one reply: totals, ledger and phase starts. */
  public CompletionStage<ExperimentAggregator.Totals> aggregate(String key) {
    return sharding
        .entityRefFor(ExperimentAggregator.ENTITY_TYPE_KEY, key)
        .ask(ExperimentAggregator.GetTotals::new, timeout);
  }

  /**
   * The snapshots of the current phase's totals ({@code GET …/results/timeseries}): each point's
   * {@code hour} is its bucket's start (the name predates 5-minute buckets), {@code end} where the
   * bucket ends (null for the last row of a phase at its row limit, which stays open).
   */
  public CompletionStage<JsonNode> timeseries(String key) {
    return experiments
        .get(key)
        .thenCompose(
            experiment ->
                aggregate(key)
                    .thenCombine(
                        timeseries.read(key, experiment.phase(), buckets.maxRows()),
                        (aggregate, points) -> {
                          Instant start = aggregate.phaseStarts().get(experiment.phase());
                          ObjectNode doc = Json.mapper().createObjectNode();
                          doc.put("experiment", key);
                          doc.put("phase", experiment.phase());
                          ArrayNode out = doc.putArray("points");
                          for (ResultsTimeseries.Point p : points) {
                            ObjectNode point = out.addObject();
                            point.put("hour", p.hour().toString());
                            Instant end = start == null ? null : buckets.endOf(start, p.hour());
                            if (end == null) {
                              point.putNull("end");
                            } else {
                              point.put("end", end.toString());
                            }
                            body(point, experiment, p.totals());
                          }
                          return doc;
                        }));
  }

  /** Variants, metrics, funnel and data quality: shared by the document and each hour. */
  static void body(ObjectNode doc, Experiment experiment, ExperimentTotals totals) {
    ArrayNode variants = doc.putArray("variants");
    for (Variant v : experiment.variants()) {
      variants
          .addObject()
          .put("variant", v.key())
          .put("units", totals.unitsPerVariant().getOrDefault(v.key(), 0L));
    }
    ArrayNode metrics = doc.putArray("metrics");
    for (MetricDefinition m : experiment.metrics()) {
      ObjectNode metric = metrics.addObject();
      metric.put("metric", m.key());
      metric.put("kind", m.kind().name().toLowerCase(Locale.ROOT));
      ArrayNode perVariant = metric.putArray("variants");
      Map<String, MetricSums> sums = totals.metrics().getOrDefault(m.key(), Map.of());
      for (Variant v : experiment.variants()) {
        MetricSums s = sums.getOrDefault(v.key(), MetricSums.ZERO);
        ObjectNode row = perVariant.addObject();
        row.put("variant", v.key()).put("n", s.n()).put("sum", s.sum());
        row.put("sumSquares", s.sumSquares());
        if (s.n() > 0) {
          double mean = s.sum() / s.n();
          row.put("mean", mean);
          if (s.n() > 1) {
            row.put("variance", (s.sumSquares() - s.n() * mean * mean) / (s.n() - 1));
          }
        }
      }
    }
    if (!totals.funnelSteps().isEmpty()) {
      ArrayNode funnel = doc.putArray("funnel");
      for (Variant v : experiment.variants()) {
        ObjectNode row = funnel.addObject().put("variant", v.key());
        ArrayNode steps = row.putArray("steps");
        totals.funnelSteps().getOrDefault(v.key(), List.of()).forEach(steps::add);
      }
    }
    doc.putObject("dataQuality").put("multipleExposureUnits", totals.multipleExposureUnits());
  }
}
