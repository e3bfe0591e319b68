package org.abtest.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.ProviderEvaluation;
import dev.openfeature.sdk.Reason;
import java.util.Map;
import org.abtest.client.FakeAbTest.Exposure;
import org.abtest.client.FakeAbTest.Metric;
import org.abtest.protocol.assignment.Assignment;
import org.junit.jupiter.api.Test;

class FakeAbTestTest {

  private static final Map<String, String> US = Map.of("country", "US");

  @Test
  void answersTheVariantSetForEveryUnitAndOneUnitsOwnOverIt() {
    FakeAbTest abtest =
        new FakeAbTest()
            .set("checkout", "green")
            .setFor("user-7", "checkout", "control", null)
            .set("search", "ranked");

    assertThat(abtest.variant("user-1", "checkout", US)).contains("green");
    assertThat(abtest.variant("user-7", "checkout", US)).contains("control");
    assertThat(abtest.inVariant("user-7", "checkout", "control", null)).isTrue();
    assertThat(abtest.inVariant("user-7", "checkout", "green", null)).isFalse();
    assertThat(abtest.assign("user-7", US))
        .containsExactly(
            new Assignment("checkout", "control", null), new Assignment("search", "ranked", null));
  }

  @Test
  void anExperimentNotSetOrRemovedHasNoAssignment() {
    FakeAbTest abtest = new FakeAbTest().set("checkout", "green").remove("checkout");

    assertThat(abtest.variant("user-1", "checkout", US)).isEmpty();
    assertThat(abtest.variant("user-1", "other", US)).isEmpty();
    assertThat(abtest.config("user-1", "other", US)).isEmpty();
    assertThat(abtest.isEnabled("user-1", "other", US)).isFalse();
    assertThat(abtest.assign("user-1", US)).isEmpty();
    assertThat(abtest.exposures()).isEmpty();
  }

  @Test
  void configsAndFlagsReadTheVariantsConfig() {
    FakeAbTest abtest =
        new FakeAbTest()
            .set("checkout", "green", Map.of("color", "green"))
            .set("dark-mode", "on")
            .set("beta", "off", Map.of("value", false))
            .setFor("user-7", "beta", "on", Map.of("value", true));

    assertThat(abtest.config("user-1", "checkout", US).orElseThrow().get("color").asText())
        .isEqualTo("green");
    assertThat(abtest.config("user-1", "dark-mode", US)).isEmpty();
    assertThat(abtest.isEnabled("user-1", "dark-mode", US)).isTrue();
    assertThat(abtest.isEnabled("user-1", "beta", US)).isFalse();
    assertThat(abtest.isEnabled("user-7", "beta", US)).isTrue();
  }

  @Test
  void recordsTheExposuresOfAnsweredAssignmentsAndTheTrackedMetrics() {
    FakeAbTest abtest = new FakeAbTest().set("checkout", "green");

    abtest.variant("user-1", "checkout", US);
    abtest.variant("user-2", "not-running", US);
    abtest.track("user-1", "purchase", 12.5);

    assertThat(abtest.exposures()).containsExactly(new Exposure("user-1", "checkout", "green"));
    assertThat(abtest.metrics()).containsExactly(new Metric("user-1", "purchase", 12.5));
    abtest.clearEvents();
    assertThat(abtest.exposures()).isEmpty();
    assertThat(abtest.metrics()).isEmpty();
    assertThat(abtest.variant("user-1", "checkout", US)).contains("green");
  }

  @Test
  void withExposureLoggingOffOnlyExplicitExposuresAreRecorded() {
    FakeAbTest abtest = new FakeAbTest().set("checkout", "green").logExposures(false);

    Assignment a = abtest.assignment("user-1", "checkout", null).orElseThrow();
    assertThat(abtest.exposures()).isEmpty();
    abtest.exposure("user-1", a);
    assertThat(abtest.exposures()).containsExactly(new Exposure("user-1", "checkout", "green"));
  }

  @Test
  void theOpenFeatureProviderAnswersFromTheFake() {
    FakeAbTest abtest = new FakeAbTest().set("checkout", "green", Map.of("value", true));
    AbTestProvider provider = new AbTestProvider(abtest);

    ProviderEvaluation<String> variant =
        provider.getStringEvaluation("checkout", "none", new MutableContext("user-1"));
    assertThat(variant.getValue()).isEqualTo("green");
    // set for every unit: as a running experiment without targeting answers
    assertThat(variant.getReason()).isEqualTo(Reason.SPLIT.name());
    assertThat(
            provider
                .getBooleanEvaluation("checkout", false, new MutableContext("user-1"))
                .getValue())
        .isTrue();
    provider.shutdown();
    assertThat(abtest.closed()).isTrue();
  }
}
