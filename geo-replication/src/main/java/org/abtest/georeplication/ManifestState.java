package org.abtest.georeplication;

import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;

/**
 * Folds experiment events, in journal tag order, into the region's manifest. The version is the
 * number of events folded, so a rebuild from the start of the journal reproduces the same versions.
 */
public final class ManifestState {

  private final Map<String, Experiment> experiments = new TreeMap<>();
  private long version;

  public void apply(String key, ExperimentEntity.Event event) {
    if (event instanceof ExperimentEntity.ExperimentCreated created) {
      experiments.put(key, created.experiment());
    } else if (event instanceof ExperimentEntity.ExperimentStarted started) {
      experiments.computeIfPresent(
          key, (k, e) -> e.withStatus(ExperimentStatus.RUNNING, started.at()));
    }
    version++;
  }

  public long version() {
    return version;
  }

  /** Only live experiments travel to evaluators; drafts and concluded ones assign nobody anyway. */
  public Manifest toManifest() {
    var live = new ArrayList<ManifestExperiment>();
    for (Experiment experiment : experiments.values()) {
      if (experiment.status().assigns()) {
        live.add(ManifestExperiment.of(experiment));
      }
    }
    return new Manifest(version, live, Map.of(), null);
  }
}
