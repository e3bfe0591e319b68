package org.abtest.node.results;

import java.time.Clock;
import org.abtest.http.ports.ExperimentService;
import org.abtest.http.ports.ResultsService;
import org.abtest.node.NodeSettings;
import org.abtest.node.aggregation.Aggregation;
import org.abtest.node.bandit.BanditUpdater;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Results on a node: this region's totals merged with the other regions' (each region publishes its
 * own), the results documents built from them, and, in the layers' home region only, the bandit
 * that moves weights from the merged totals (two regions rewriting the same weights would only
 * fight over the same numbers).
 */
public record Results(RegionalTotals totals, ResultsService service) {

  public static Results init(
      ActorSystem<?> system,
      NodeSettings settings,
      ExperimentService experiments,
      Aggregation aggregation,
      CassandraSession session,
      Clock clock) {
    var regions = settings.regions();
    var totals =
        new RegionalTotals(
            aggregation.aggregates(),
            clock,
            session,
            settings.journalKeyspace(),
            regions.self(),
            regions.all());
    RegionTotalsPublisher.init(system, totals, experiments, settings.regionsMergeInterval());
    if (regions.isLayerHome()) {
      BanditUpdater.init(
          system, experiments, totals, settings.bandit().policy(), settings.bandit().interval());
    }
    return new Results(
        totals,
        new DocumentResultsService(
            experiments, totals, aggregation.timeseries(), aggregation.buckets()));
  }
}
