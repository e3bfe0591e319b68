package org.abtest.node.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.abtest.analytics.results.ResultsBuilder;
import org.abtest.analytics.results.ResultsDocument;
import org.abtest.analytics.results.ResultsJson;
import org.abtest.analytics.results.TotalsSource;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.ResultsService;

/**
 * The results document: the experiment's definition, its totals, and the pure builder.
 *
 * <p>The mSPRT running minimum is kept here, per experiment and in this node's memory only (one
 * small map entry per experiment × metric × variant): another node, or this one after a restart,
 * starts the minimum over from the current look. That is conservative (the minimum can only be
 * larger), and moves to the experiment's aggregator when that keeps merged totals.
 */
public final class DocumentResultsService implements ResultsService {

  private final ExperimentService experiments;
  private final TotalsSource totals;
  private final Map<String, ResultsDocument.SequentialState> sequential = new ConcurrentHashMap<>();

  /** Hourly snapshots of this region's totals. */
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
                    .thenApply(
                        t -> {
                          ResultsDocument.Built built =
                              ResultsBuilder.build(experiment, t, sequential.get(key));
                          sequential.put(key, built.state());
                          return ResultsJson.tree(built.document());
                        }));
  }
}
