package org.abtest.node.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.abtest.http.ports.ExposureCheck;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

/** Exposures against the node's own manifest: only the variant it assigns counts. */
class ManifestExposureCheckTest {

  private static JsonNode json(String text) throws Exception {
    return Json.mapper().readTree(text);
  }

  private static ManifestHolder holder() throws Exception {
    ManifestHolder holder = new ManifestHolder();
    holder.offer(
        new Manifest(
            3,
            List.of(
                checkout(
                    json("{\"country\": \"US\"}"),
                    List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)),
                    Map.of("qa-user", "green"))),
            Map.of(),
            null));
    return holder;
  }

  /** The experiment "checkout" in phase 2. */
  private static ManifestExperiment checkout(
      JsonNode targeting, List<Variant> variants, Map<String, String> overrides) {
    return new ManifestExperiment(
        "checkout",
        ExperimentType.EXPERIMENT,
        2,
        "phase-2-salt",
        null,
        null,
        false,
        targeting,
        10_000,
        variants,
        overrides,
        List.of(),
        null,
        null);
  }

  @Test
  void theVariantTheNodeAssignsIsValidAndTheOtherIsInvalidForEveryUnit() throws Exception {
    ManifestHolder holder = holder();
    ManifestExposureCheck check = new ManifestExposureCheck(holder);
    JsonNode us = json("{\"country\": \"US\"}");
    for (int i = 0; i < 2000; i++) {
      String unit = "user-" + i;
      String assigned = holder.compiled().evaluate(unit, us).get(0).variant();
      String other = assigned.equals("green") ? "control" : "green";
      assertThat(check.check("checkout", assigned, unit, us, null))
          .isEqualTo(new ExposureCheck.Valid("checkout", assigned));
      assertThat(check.check("checkout", assigned, unit, null, null))
          .isEqualTo(new ExposureCheck.Valid("checkout", assigned));
      assertThat(check.check("checkout", other, unit, us, null))
          .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
    }
  }

  @Test
  void attributesThatMissTheTargetingMakeAnyVariantInvalid() throws Exception {
    ManifestExposureCheck check = new ManifestExposureCheck(holder());
    JsonNode fr = json("{\"country\": \"FR\"}");
    assertThat(check.check("checkout", "control", "user-1", fr, null))
        .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
    assertThat(check.check("checkout", "green", "user-1", fr, null))
        .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
  }

  @Test
  void theExperimentsOverrideIsHonoured() throws Exception {
    ManifestExposureCheck check = new ManifestExposureCheck(holder());
    assertThat(check.check("checkout", "green", "qa-user", json("{\"country\": \"FR\"}"), null))
        .isInstanceOf(ExposureCheck.Valid.class);
    assertThat(check.check("checkout", "control", "qa-user", null, null))
        .isEqualTo(ExposureCheck.Refused.INVALID_VARIANT);
  }

  @Test
  void anExperimentNotInTheManifestIsUnknownAndBeforeAnyManifestEverythingIs() throws Exception {
    assertThat(new ManifestExposureCheck(holder()).check("paused", "control", "u", null, null))
        .isEqualTo(ExposureCheck.Refused.UNKNOWN_EXPERIMENT);
    assertThat(
            new ManifestExposureCheck(new ManifestHolder())
                .check("checkout", "green", "u", null, null))
        .isEqualTo(ExposureCheck.Refused.UNKNOWN_EXPERIMENT);
  }

  @Test
  void anExposureOfAShippedExperimentIsRefusedAlsoFromTrustedSenders() throws Exception {
    ManifestExperiment shipped =
        checkout(null, List.of(new Variant("green", 10_000, null)), Map.of());
    ManifestHolder holder = new ManifestHolder();
    holder.offer(new Manifest(4, List.of(), Map.of(), null, Map.of(), List.of(shipped)));
    assertThat(holder.compiled().evaluate("user-1", null).get(0).shipped()).isTrue();
    for (boolean verify : new boolean[] {true, false}) {
      assertThat(
              new ManifestExposureCheck(holder, verify)
                  .check("checkout", "green", "user-1", null, null))
          .isEqualTo(ExposureCheck.Refused.UNKNOWN_EXPERIMENT);
    }
  }
}
