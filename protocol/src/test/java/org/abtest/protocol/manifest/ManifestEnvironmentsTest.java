package org.abtest.protocol.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.experiment.EnvironmentSetting;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.ExperimentField;
import org.abtest.protocol.experiment.ExperimentStatus;
import org.abtest.protocol.experiment.Variant;
import org.junit.jupiter.api.Test;

class ManifestEnvironmentsTest {

  private static ManifestExperiment experiment(String key, int coverage) {
    Experiment e =
        Experiment.draft(
                key,
                key,
                coverage,
                List.of(new Variant("control", 5000, null), new Variant("treatment", 5000, null)))
            .with(Map.of(ExperimentField.SALT, key + "-salt", ExperimentField.PHASE, 1));
    return ManifestExperiment.of(e.withStatus(ExperimentStatus.RUNNING, java.time.Instant.EPOCH));
  }

  private static final Map<String, EnvironmentSetting> STAGING_ONLY =
      Map.of("staging", new EnvironmentSetting(true, null));

  private static Manifest manifest() {
    return new Manifest(
        7,
        List.of(
            experiment("everywhere", 10000),
            experiment("staging-only", 10000),
            experiment("narrow", 10000)),
        Map.of(),
        null,
        Map.of(),
        List.of(),
        Map.of(
            "staging-only",
            STAGING_ONLY,
            "narrow",
            Map.of(
                "production", new EnvironmentSetting(true, 100),
                "development", new EnvironmentSetting(false, null))));
  }

  private static List<String> keys(Manifest m) {
    return m.experiments().stream().map(ManifestExperiment::key).toList();
  }

  @Test
  void aManifestWithoutSettingsIsTheSameInEveryEnvironment() {
    Manifest plain = new Manifest(3, List.of(experiment("a", 10000)), Map.of(), null);
    assertThat(plain.forEnvironment("staging")).isSameAs(plain);
    assertThat(plain.forEnvironment("production")).isSameAs(plain);
  }

  @Test
  void eachEnvironmentGetsTheExperimentsEnabledThereAtItsOwnCoverage() {
    Manifest m = manifest();
    assertThat(keys(m.forEnvironment("staging"))).containsExactly("everywhere", "staging-only");
    Manifest production = m.forEnvironment("production");
    assertThat(keys(production)).containsExactly("everywhere", "narrow");
    assertThat(production.experiments().get(1).coverage()).isEqualTo(100);
    assertThat(keys(m.forEnvironment("development"))).containsExactly("everywhere");
    // an environment no setting names: only the experiments without settings
    assertThat(keys(m.forEnvironment("qa"))).containsExactly("everywhere");
  }

  @Test
  void anEnvironmentsViewKeepsTheVersionAndCarriesNoSettings() {
    Manifest staging = manifest().forEnvironment("staging");
    assertThat(staging.version()).isEqualTo(7);
    assertThat(staging.environments()).isEmpty();
    assertThat(manifest().namedEnvironments())
        .containsExactly("development", "production", "staging");
  }

  @Test
  void aUnitInsideAnEnvironmentsNarrowerCoverageKeepsItsVariant() {
    Manifest m = manifest();
    CompiledManifest all = CompiledManifest.compile(m);
    CompiledManifest production = CompiledManifest.compile(m.forEnvironment("production"));
    int inside = 0;
    for (int i = 0; i < 5000; i++) {
      var narrow = production.variantOf("narrow", "u-" + i, null);
      if (narrow != null) {
        inside++;
        assertThat(narrow.variant()).isEqualTo(all.variantOf("narrow", "u-" + i, null).variant());
      }
    }
    // 1 % coverage of 5000 units
    assertThat(inside).isBetween(20, 90);
  }

  @Test
  void aShippedExperimentShipsOnlyWhereItIsEnabled() {
    Experiment concluded =
        Experiment.draft(
                "shipped",
                "shipped",
                10000,
                List.of(new Variant("control", 5000, null), new Variant("green", 5000, null)))
            .with(
                Map.of(
                    ExperimentField.SALT,
                    "s",
                    ExperimentField.PHASE,
                    1,
                    ExperimentField.STATUS,
                    ExperimentStatus.CONCLUDED,
                    ExperimentField.SHIPPED,
                    "green"));
    Manifest m =
        new Manifest(
            1,
            List.of(),
            Map.of(),
            null,
            Map.of(),
            List.of(ManifestExperiment.shipping(concluded)),
            Map.of("shipped", STAGING_ONLY));
    assertThat(m.forEnvironment("staging").shipped()).hasSize(1);
    assertThat(m.forEnvironment("production").shipped()).isEmpty();
  }

  @Test
  void settingsSurviveTheManifestsJsonAndAreLeftOutWhenThereAreNone() throws Exception {
    Manifest m = manifest();
    String json = Json.mapper().writeValueAsString(m);
    assertThat(Json.mapper().readValue(json, Manifest.class)).isEqualTo(m);
    String plain = Json.mapper().writeValueAsString(new Manifest(1, List.of(), Map.of(), null));
    assertThat(plain).doesNotContain("environments");
  }
}
