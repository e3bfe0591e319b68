package org.abtest.protocol.assignment;

import java.util.ArrayList;
import java.util.List;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;

/**
 * The pure assignment function of DESIGN.md §3: the same manifest, unit and attributes give the
 * same answer on every node and in the SDK.
 */
public final class Evaluator {

  private Evaluator() {}

  /** Every experiment of the manifest that the unit is in, in manifest order. */
  public static List<Assignment> evaluate(Manifest manifest, String unit) {
    List<Assignment> out = new ArrayList<>();
    for (ManifestExperiment experiment : manifest.experiments()) {
      Variant variant = variantFor(experiment, unit);
      if (variant != null) {
        out.add(new Assignment(experiment.key(), variant.key(), variant.config()));
      }
    }
    return out;
  }

  /**
   * Variant i owns {@code [start_i, start_i + floor(coverage × w_i / 10000))} where start_i is the
   * sum of the earlier weights; a bucket in no range is not in the experiment.
   */
  public static Variant variantFor(ManifestExperiment experiment, String unit) {
    int bucket = Bucketing.bucket(experiment.salt(), unit);
    int start = 0;
    for (Variant variant : experiment.variants()) {
      long width = (long) experiment.coverage() * variant.weight() / Bucketing.BUCKETS;
      if (bucket >= start && bucket < start + width) {
        return variant;
      }
      start += variant.weight();
    }
    return null;
  }
}
