package org.abtest.node.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.aggregate.ResultsTimeseries;
import org.abtest.analytics.aggregate.SeriesBuckets;
import org.abtest.analytics.results.ResultsBuilder;
import org.abtest.analytics.results.ResultsJson;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.ResultsService;
import org.abtest.protocol.experiment.Environments;

/**
 * The results documents: the experiment's definition, its totals merged over regions, the
 * sequential ledger persisted by this region's aggregator (the same on every node and across
 * restarts), and the pure builder; and the time series of this region's totals. Each is one ask of
 * the aggregator through {@link RegionalTotals}, plus the other regions' rows or the series table.
 * Nothing is kept here.
 *
 * <p>With several regions the totals are merged over regions but the ledger is this region's
 * aggregator's, folded from this region's totals (docs/statistics.md).
 */
public final class DocumentResultsService implements ResultsService {

  private final ExperimentService experiments;
  private final RegionalTotals totals;
  private final ResultsTimeseries series;
  private final SeriesBuckets buckets;

  public DocumentResultsService(
      ExperimentService experiments,
      RegionalTotals totals,
      ResultsTimeseries series,
      SeriesBuckets buckets) {
    this.experiments = experiments;
    this.totals = totals;
    this.series = series;
    this.buckets = buckets;
  }

  /**
   * {@code key}: a results key ({@link Environments#resultsKey}), the experiment's in production.
   */
  @Override
  public CompletionStage<JsonNode> results(String key) {
    return experiments
        .get(Environments.experimentOf(key))
        .thenCompose(
            experiment ->
                totals
                    .phase(key, experiment.phase())
                    .thenApply(
                        t ->
                            ResultsJson.tree(
                                ResultsBuilder.build(experiment, t.merged(), t.local().sequential())
                                    .document())));
  }

  @Override
  public CompletionStage<JsonNode> timeseries(String key) {
    return experiments
        .get(Environments.experimentOf(key))
        .thenCompose(
            experiment ->
                totals
                    .local(key)
                    .thenCombine(
                        series.read(key, experiment.phase(), buckets.maxRows()),
                        (aggregate, points) ->
                            TimeseriesDocument.of(
                                experiment,
                                aggregate.phaseStarts().get(experiment.phase()),
                                points,
                                buckets)));
  }
}
