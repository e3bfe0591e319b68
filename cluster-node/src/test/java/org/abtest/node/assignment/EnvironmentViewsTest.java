package org.abtest.node.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.protocol.experiment.EnvironmentSetting;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

/** Each environment's SDK keys evaluate, download and expose against their own view. */
class EnvironmentViewsTest {

  private static ManifestExperiment experiment(String key) {
    return new ManifestExperiment(
        key,
        ExperimentType.EXPERIMENT,
        1,
        key + "-salt",
        null,
        null,
        false,
        null,
        10_000,
        List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)),
        Map.of(),
        List.of(),
        null,
        null);
  }

  private static ManifestHolder holder() {
    ManifestHolder holder = new ManifestHolder();
    holder.offer(
        new Manifest(
            4,
            List.of(experiment("everywhere"), experiment("staging-only")),
            Map.of(),
            null,
            Map.of(),
            List.of(),
            Map.of("staging-only", Map.of("staging", new EnvironmentSetting(true, null)))));
    return holder;
  }

  @Test
  void theViewsHeldAndTheirBytesAreCountedForTheirGauges() {
    ManifestHolder holder = holder();
    // the whole manifest, staging's, production's and the other environments'
    assertThat(holder.views()).isEqualTo(4);
    long production =
        holder.served("production", false).orElseThrow().json().length
            + holder.served("production", true).orElseThrow().json().length;
    assertThat(holder.viewBytes()).isGreaterThan(3 * production);

    ManifestHolder plain = new ManifestHolder();
    assertThat(plain.views()).isZero();
    plain.offer(new Manifest(1, List.of(experiment("everywhere")), Map.of(), null));
    assertThat(plain.views()).isEqualTo(1);
    assertThat(plain.viewBytes())
        .isEqualTo(
            plain.served(false).orElseThrow().json().length
                + plain.served(true).orElseThrow().json().length);
  }

  @Test
  void eachEnvironmentEvaluatesItsOwnExperimentsFromOneVersion() {
    ManifestHolder holder = holder();
    assertThat(holder.compiled("staging").liveKeys())
        .containsExactlyInAnyOrder("everywhere", "staging-only");
    assertThat(holder.compiled("production").liveKeys()).containsExactly("everywhere");
    assertThat(holder.compiled("qa").liveKeys()).containsExactly("everywhere");
    assertThat(holder.compiled("production").version()).isEqualTo(4);
    // the whole manifest, for the node's own parts, keeps both
    assertThat(holder.compiled().liveKeys()).hasSize(2);
  }

  @Test
  void eachEnvironmentDownloadsItsOwnView() {
    ManifestHolder holder = holder();
    String staging =
        new String(holder.served("staging", false).orElseThrow().json(), StandardCharsets.UTF_8);
    String production =
        new String(holder.served("production", false).orElseThrow().json(), StandardCharsets.UTF_8);
    assertThat(staging).contains("staging-only");
    assertThat(production).doesNotContain("staging-only").contains("everywhere");
    assertThat(holder.served(false).orElseThrow().json())
        .isEqualTo(holder.served("production", false).orElseThrow().json());
  }

  @Test
  void anExposureOfAnExperimentOffInItsEnvironmentIsUnknown() {
    ManifestHolder holder = holder();
    ManifestExposureCheck check = new ManifestExposureCheck(holder);
    String variant = holder.compiled("staging").variantOf("staging-only", "u1", null).variant();
    Instant now = Instant.now();
    assertThat(check.check("staging", "staging-only", variant, "u1", null, now))
        .isInstanceOf(ExposureCheck.Valid.class);
    assertThat(check.check("production", "staging-only", variant, "u1", null, now))
        .isEqualTo(ExposureCheck.Refused.UNKNOWN_EXPERIMENT);
    assertThat(check.check("staging-only", variant, "u1", null, now))
        .isEqualTo(ExposureCheck.Refused.UNKNOWN_EXPERIMENT);
  }
}
