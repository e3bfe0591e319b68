package org.abtest.node.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletionStage;
import org.abtest.analytics.results.ResultsBuilder;
import org.abtest.analytics.results.ResultsJson;
import org.abtest.analytics.results.TotalsSource;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.ResultsService;

/**
 * The results document: the experiment's definition, its totals, the sequential ledger persisted by
 * the experiment's aggregator (the same on every node and across restarts), and the pure builder.
 * Nothing is kept here.
 *
 * <p>With several regions the totals are merged over regions but the ledger is this region's
 * aggregator's, folded from this region's totals (docs/statistics.md).
 */
public final class DocumentResultsService implements ResultsService {

  private final ExperimentService experiments;
  private final TotalsSource totals;

  /** This region's aggregators: the ledger, and the time series of their totals. */
  private final TotalsResultsService timeseries;

  /**
   * @param totals where the document's totals come from (merged over regions)
   * @param timeseries this region's totals and their hourly snapshots
   */
  public DocumentResultsService(
      ExperimentService experiments, TotalsSource totals, TotalsResultsService timeseries) {
    this.experiments = experiments;
    this.totals = totals;
    this.timeseries = timeseries;
  }

  @Override
  public CompletionStage<JsonNode> timeseries(String key) {
    return timeseries.timeseries(key);
  }

  @Override
  public CompletionStage<JsonNode> results(String key) {
    return experiments
        .get(key)
        .thenCompose(
            experiment ->
                totals
                    .totals(key, experiment.phase())
                    .thenCombine(
                        timeseries.aggregate(key),
                        (t, aggregate) ->
                            ResultsJson.tree(
                                ResultsBuilder.build(experiment, t, aggregate.sequential())
                                    .document())));
  }
}
