package org.abtest.node.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.node.sticky.StickyStore;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.assignment.StickyBuckets;
import org.abtest.protocol.experiment.Environments;
import org.abtest.protocol.manifest.HashedKeys;

/**
 * Exposures checked against the node's current manifest, the same snapshot assignments read: the
 * variant must be the one {@link CompiledManifest#variantOf} gives the unit. An obfuscated SDK key
 * sends keyed hashes of the keys ({@link HashedKeys}); they are mapped to the real keys first, so
 * downstream only ever sees real keys. An exposure of an experiment that left the live set, or
 * began a new phase, after the exposure's {@code ts}, within the grace of {@link EndedExperiments},
 * is judged against the manifest that served it then.
 */
public final class ManifestExposureCheck implements ExposureCheck {

  private final ManifestHolder manifests;
  private final boolean verifyVariants;
  private final StickyStore sticky;

  /** Every exposure's variant must be the unit's. */
  public ManifestExposureCheck(ManifestHolder manifests) {
    this(manifests, true);
  }

  public ManifestExposureCheck(ManifestHolder manifests, boolean verifyVariants) {
    this(manifests, verifyVariants, StickyStore.NONE);
  }

  /**
   * @param verifyVariants false ({@code abtest.events.verify-exposures = off}, trusted senders): an
   *     exposure is taken with the variant it names; hashed keys are still mapped to the real ones,
   *     so that nothing downstream ever sees a hash
   * @param sticky units' stored first variants: in an experiment with sticky bucketing, the stored
   *     variant is the unit's (read only when the bucket gives another)
   */
  public ManifestExposureCheck(
      ManifestHolder manifests, boolean verifyVariants, StickyStore sticky) {
    this.manifests = manifests;
    this.verifyVariants = verifyVariants;
    this.sticky = sticky;
  }

  @Override
  public Verdict check(
      String experiment, String variant, String unit, JsonNode attributes, Instant ts) {
    return check(Environments.DEFAULT, experiment, variant, unit, attributes, ts);
  }

  /**
   * Against the environment's manifest: an experiment not enabled there is unknown, coverage is its
   * own. One judged as it stood before it left the live set is judged on the whole manifest of then
   * (which does not keep its per-environment views).
   */
  @Override
  public Verdict check(
      String environment,
      String experiment,
      String variant,
      String unit,
      JsonNode attributes,
      Instant ts) {
    return check(environment, experiment, variant, unit, attributes, ts, false);
  }

  /**
   * With {@code mayWait}, an exposure of a sticky experiment whose variant is not the bucket's, for
   * a unit whose stored variants are not in memory, is {@link Pending} on reading them.
   */
  @Override
  public Verdict check(
      String environment,
      String experiment,
      String variant,
      String unit,
      JsonNode attributes,
      Instant ts,
      boolean mayWait) {
    // Made before the experiment left the live set or changed phase (a batch in flight at a pause
    // or a re-randomization): judged as the experiment stood then.
    CompiledManifest then =
        manifests.ended().servedAt(experiment, ts, ManifestExposureCheck::realKey);
    CompiledManifest manifest = then != null ? then : manifests.compiled(environment);
    HashedKeys.Revealed real = manifest.hashedKeys().reveal(experiment, variant);
    switch (real.unknown()) {
      case EXPERIMENT -> {
        return Refused.UNKNOWN_EXPERIMENT;
      }
      case VARIANT -> {
        return Refused.INVALID_VARIANT;
      }
      case NONE -> {
        experiment = real.experiment();
        variant = real.variant();
      }
    }
    if (manifest.shippedKeys().contains(experiment)) {
      // a shipped variant is served, not tested: its results stay frozen, trusted senders too
      return Refused.UNKNOWN_EXPERIMENT;
    }
    if (!verifyVariants) {
      return new Valid(experiment, variant);
    }
    if (!manifest.isLive(experiment)) {
      return Refused.UNKNOWN_EXPERIMENT;
    }
    boolean keeps = manifest.isSticky(experiment);
    StickyBuckets stored = keeps ? sticky.bucketsOf(unit) : null;
    Assignment assigned = manifest.variantOf(experiment, unit, attributes, stored);
    if (assigned != null && assigned.variant().equals(variant)) {
      if (keeps && stored == null) {
        remember(manifest, experiment, unit, attributes);
      }
      return new Valid(assigned.experiment(), assigned.variant());
    }
    if (keeps && stored == null && mayWait) {
      return new Pending(sticky.load(unit));
    }
    return Refused.INVALID_VARIANT;
  }

  /**
   * Keeps the unit's first variant once its rows are read, without holding the exposure: a unit
   * that only SDKs evaluate (never asked over HTTP) gets its row from its exposures, so that after
   * a sticky weight change the variant its SDK kept is still the one this check accepts. Nothing is
   * written when the unit already has a variant stored (the store's first write wins anyway).
   */
  private void remember(
      CompiledManifest manifest, String experiment, String unit, JsonNode attributes) {
    sticky
        .load(unit)
        .thenRun(
            () -> {
              try {
                StickyBuckets loaded = sticky.bucketsOf(unit);
                if (loaded != null) {
                  manifest.variantOf(experiment, unit, attributes, loaded);
                }
              } catch (RuntimeException e) {
                // best effort: the unit is assigned by its bucket until its row exists
              }
            });
  }

  /** The experiment's real key in {@code manifest}: {@code named} itself or the key it hashes. */
  private static String realKey(CompiledManifest manifest, String named) {
    HashedKeys.Revealed real = manifest.hashedKeys().reveal(named, "");
    return real.unknown() == HashedKeys.Revealed.Unknown.EXPERIMENT ? named : real.experiment();
  }
}
