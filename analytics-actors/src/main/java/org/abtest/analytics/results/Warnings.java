package org.abtest.analytics.results;

import java.util.ArrayList;
import java.util.List;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.SequentialMethod;

/** The data-quality and process warnings of a results document, in a fixed order. */
final class Warnings {
  static final String SRM = "srm";
  static final String BELOW_TARGET = "below_sample_size_target";
  static final String MULTIPLE_EXPOSURES = "multiple_exposures";
  static final String PEEKING = "peeking_fixed_horizon";

  private Warnings() {}

  static List<String> of(Experiment e, boolean srmMismatch, long units, long multipleExposures) {
    List<String> warnings = new ArrayList<>();
    if (srmMismatch) {
      warnings.add(SRM);
    }
    boolean belowTarget = e.sampleSizeTarget() != null && units < e.sampleSizeTarget();
    if (belowTarget) {
      warnings.add(BELOW_TARGET);
    }
    if (multipleExposures > 0) {
      warnings.add(MULTIPLE_EXPOSURES);
    }
    // a fixed-horizon p-value is only valid once, at the target; any look at a running
    // experiment before it is a peek that inflates the false-positive rate
    if (belowTarget
        && e.sequential() == SequentialMethod.NONE
        && e.status() == ExperimentStatus.RUNNING) {
      warnings.add(PEEKING);
    }
    return List.copyOf(warnings);
  }
}
