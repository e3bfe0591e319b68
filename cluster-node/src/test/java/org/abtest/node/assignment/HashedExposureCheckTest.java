package org.abtest.node.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.abtest.protocol.manifest.SdkKeys;
import org.junit.jupiter.api.Test;

/** Exposures an obfuscated SDK key sends with hashed keys are checked under the real keys. */
class HashedExposureCheckTest {

  private static final ManifestHolder HOLDER = new ManifestHolder();

  static {
    HOLDER.offer(
        new Manifest(
            3,
            List.of(
                new ManifestExperiment(
                    "checkout",
                    ExperimentType.EXPERIMENT,
                    1,
                    "salt-c",
                    null,
                    null,
                    false,
                    null,
                    10_000,
                    List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)),
                    Map.of(),
                    List.of(),
                    null,
                    null)),
            Map.of(),
            null));
  }

  private static final ExposureCheck CHECK = new ManifestExposureCheck(HOLDER);

  private static String assigned(String unit) {
    Assignment a = HOLDER.compiled().variantOf("checkout", unit, null);
    return a.variant();
  }

  private static String other(String variant) {
    return variant.equals("green") ? "control" : "green";
  }

  @Test
  void hashedKeysOfTheUnitsOwnVariantAreValidUnderTheRealKeys() {
    String variant = assigned("u-1");
    ExposureCheck.Verdict verdict =
        CHECK.check(
            SdkKeys.experiment("salt-c", "checkout"),
            SdkKeys.variant("salt-c", variant),
            "u-1",
            null,
            null);
    assertThat(verdict).isEqualTo(new ExposureCheck.Valid("checkout", variant));
  }

  @Test
  void realKeysAreCheckedAsBefore() {
    String variant = assigned("u-2");
    assertThat(CHECK.check("checkout", variant, "u-2", null, null))
        .isEqualTo(new ExposureCheck.Valid("checkout", variant));
    assertThat(CHECK.check("checkout", other(variant), "u-2", null, null))
        .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
  }

  @Test
  void theHashOfAnotherVariantOfTheExperimentIsAnInvalidVariant() {
    String variant = assigned("u-3");
    assertThat(
            CHECK.check(
                SdkKeys.experiment("salt-c", "checkout"),
                SdkKeys.variant("salt-c", other(variant)),
                "u-3",
                null,
                null))
        .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
  }

  @Test
  void anUnknownHashedVariantIsAnInvalidVariant() {
    assertThat(
            CHECK.check(
                SdkKeys.experiment("salt-c", "checkout"),
                SdkKeys.variant("salt-c", "blue"),
                "u-1",
                null,
                null))
        .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
  }

  @Test
  void aHashOfNoLiveExperimentIsAnUnknownExperiment() {
    assertThat(CHECK.check(SdkKeys.experiment("salt-c", "old"), "x", "u-1", null, null))
        .isEqualTo(ExposureCheck.Refused.UNKNOWN_EXPERIMENT);
  }

  @Test
  void withoutVariantChecksHashedKeysAreStillMappedAndAnUnknownHashRefused() {
    ExposureCheck trusting = new ManifestExposureCheck(HOLDER, false);
    String variant = other(assigned("u-4"));
    assertThat(
            trusting.check(
                SdkKeys.experiment("salt-c", "checkout"),
                SdkKeys.variant("salt-c", variant),
                "u-4",
                null,
                null))
        .isEqualTo(new ExposureCheck.Valid("checkout", variant));
    assertThat(trusting.check(SdkKeys.experiment("salt-c", "old"), "x", "u-4", null, null))
        .isEqualTo(ExposureCheck.Refused.UNKNOWN_EXPERIMENT);
  }
}
