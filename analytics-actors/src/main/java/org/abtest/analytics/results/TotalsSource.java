package org.abtest.analytics.results;

import java.util.concurrent.CompletionStage;
import org.abtest.analytics.aggregate.ExperimentTotals;

/** Where the merged totals of an experiment's current phase come from. */
public interface TotalsSource {
  CompletionStage<ExperimentTotals> totals(String experiment, int phase);
}
