package org.abtest.node.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.http.ApiError;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.abtest.protocol.manifest.SdkKeys;
import org.junit.jupiter.api.Test;

/** Exposures with hashed keys become exposures with the real keys of the current manifest. */
class ExposureKeysTest {

  private static final Instant TS = Instant.parse("2026-12-01T10:00:00Z");

  private static ExposureKeys keys() {
    ManifestHolder holder = new ManifestHolder();
    holder.offer(
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
                    List.of())),
            Map.of(),
            null));
    return new ExposureKeys(holder);
  }

  private static TrackedEvent exposure(String experiment, String variant) {
    return TrackedEvent.exposure("e-1", "u-1", experiment, variant, TS);
  }

  @Test
  void hashedKeysAreReplacedByTheRealOnesAndTheRestIsKept() {
    TrackedEvent out =
        keys()
            .canonical(
                exposure(
                    SdkKeys.experiment("salt-c", "checkout"), SdkKeys.variant("salt-c", "green")));
    assertThat(out).isEqualTo(exposure("checkout", "green"));
  }

  @Test
  void anExposureWithRealKeysIsTheSameObject() {
    TrackedEvent in = exposure("checkout", "control");
    assertThat(keys().canonical(in)).isSameAs(in);
  }

  @Test
  void anUnknownHashedVariantIsRefusedAsAnInvalidVariant() {
    assertThatThrownBy(
            () ->
                keys()
                    .canonical(
                        exposure(
                            SdkKeys.experiment("salt-c", "checkout"),
                            SdkKeys.variant("salt-c", "blue"))))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_variant");
              assertThat(e.field()).isEqualTo("variant");
            });
  }

  @Test
  void aHashOfNoLiveExperimentIsRefusedNamingTheExperiment() {
    assertThatThrownBy(() -> keys().canonical(exposure(SdkKeys.experiment("salt-c", "old"), "x")))
        .isInstanceOfSatisfying(
            ApiError.class,
            e -> {
              assertThat(e.code()).isEqualTo("unknown_experiment");
              assertThat(e.field()).isEqualTo("experiment");
            });
  }
}
