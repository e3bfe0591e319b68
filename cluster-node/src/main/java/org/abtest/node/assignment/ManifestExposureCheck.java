package org.abtest.node.assignment;

import com.fasterxml.jackson.databind.JsonNode;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.CompiledManifest;

/**
 * Exposures checked against the node's current manifest, the same snapshot assignments read: the
 * variant must be the one {@link CompiledManifest#variantOf} gives the unit.
 */
public final class ManifestExposureCheck implements ExposureCheck {

  /**
   * Takes every exposure as sent: {@code abtest.events.verify-exposures = off}, trusted senders.
   */
  public static final ExposureCheck TRUSTING =
      (experiment, variant, unit, attributes) -> new Valid(experiment, variant);

  private final ManifestHolder manifests;

  public ManifestExposureCheck(ManifestHolder manifests) {
    this.manifests = manifests;
  }

  @Override
  public Verdict check(String experiment, String variant, String unit, JsonNode attributes) {
    CompiledManifest manifest = manifests.compiled();
    if (!manifest.isLive(experiment)) {
      return Refused.UNKNOWN_EXPERIMENT;
    }
    Assignment assigned = manifest.variantOf(experiment, unit, attributes);
    return assigned != null && assigned.variant().equals(variant)
        ? new Valid(assigned.experiment(), assigned.variant())
        : Refused.INVALID_VARIANT;
  }
}
