package org.abtest.protocol.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.manifest.HashedKeys.Revealed;
import org.abtest.protocol.manifest.HashedKeys.Revealed.Unknown;
import org.junit.jupiter.api.Test;

class HashedKeysTest {

  private static final String SALT = "salt-secret";

  private static HashedKeys keys() throws Exception {
    return HashedKeys.of(SdkViewTest.internal());
  }

  @Test
  void hashedKeysOfALiveExperimentRevealTheRealKeys() throws Exception {
    Revealed r =
        keys()
            .reveal(
                SdkKeys.experiment(SALT, "secret-launch"), SdkKeys.variant(SALT, "new-pricing"));
    assertThat(r).isEqualTo(new Revealed("secret-launch", "new-pricing", Unknown.NONE));
  }

  @Test
  void realKeysPassThroughUnchanged() throws Exception {
    assertThat(keys().reveal("secret-launch", "control"))
        .isEqualTo(new Revealed("secret-launch", "control", Unknown.NONE));
    assertThat(keys().reveal("secret-launch", SdkKeys.variant(SALT, "control")))
        .isEqualTo(new Revealed("secret-launch", "control", Unknown.NONE));
  }

  @Test
  void aHashedExperimentWithAVariantThatIsNoneOfItsHashesIsAnUnknownVariant() throws Exception {
    String experiment = SdkKeys.experiment(SALT, "secret-launch");
    assertThat(keys().reveal(experiment, SdkKeys.variant(SALT, "blue")).unknown())
        .isEqualTo(Unknown.VARIANT);
    assertThat(keys().reveal(experiment, SdkKeys.variant("other-salt", "control")).unknown())
        .isEqualTo(Unknown.VARIANT);
  }

  @Test
  void aHashThatNamesNoLiveExperimentIsAnUnknownExperiment() throws Exception {
    assertThat(keys().reveal(SdkKeys.experiment(SALT, "gone"), "x").unknown())
        .isEqualTo(Unknown.EXPERIMENT);
    assertThat(keys().reveal(SdkKeys.experiment("other-salt", "secret-launch"), "x").unknown())
        .isEqualTo(Unknown.EXPERIMENT);
  }

  @Test
  void anUnknownKeyThatIsNotHashShapedIsLeftForTheChecksDownstream() throws Exception {
    assertThat(keys().reveal("paused-experiment", "control"))
        .isEqualTo(new Revealed("paused-experiment", "control", Unknown.NONE));
  }

  @Test
  void hidingAssignmentsHashesBothKeysAndKeepsTheConfig() throws Exception {
    var config = Json.mapper().createObjectNode().put("price", 9);
    List<Assignment> hidden =
        keys().hide(List.of(new Assignment("secret-launch", "new-pricing", config)));
    assertThat(hidden)
        .containsExactly(
            new Assignment(
                SdkKeys.experiment(SALT, "secret-launch"),
                SdkKeys.variant(SALT, "new-pricing"),
                config));
  }

  @Test
  void anAssignmentOfAnExperimentTheTableDoesNotKnowIsNeverShownInClear() throws Exception {
    assertThat(keys().hide(List.of(new Assignment("elsewhere", "control", null)))).isEmpty();
  }
}
