package org.abtest.protocol.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.abtest.protocol.Json;
import org.junit.jupiter.api.Test;

class ExperimentTest {

  @Test
  void anExperimentWithoutTargetingRoundTripsWithoutANullTargetingField() throws Exception {
    Experiment created =
        Experiment.draft("k", "k", 10_000, List.of(new Variant("on", 10_000, null)))
            .asCreated("salt", Instant.parse("2026-11-22T10:00:00Z"));
    String json = Json.mapper().writeValueAsString(created);
    Experiment back = Json.mapper().readValue(json, Experiment.class);
    assertThat(back).isEqualTo(created);
    assertThat(back.targeting()).isNull();
    assertThat(Json.mapper().writeValueAsString(back)).doesNotContain("targeting");
  }

  @Test
  void defaultsFillWhatTheCreatorLeftOut() {
    Experiment e = Experiment.draft("k", "k", 10_000, List.of(new Variant("on", 10_000, null)));
    assertThat(e.type()).isEqualTo(ExperimentType.EXPERIMENT);
    assertThat(e.alpha()).isEqualTo(0.05);
    assertThat(e.sequential()).isEqualTo(SequentialMethod.NONE);
    assertThat(e.variants().get(0).config().isObject()).isTrue();
  }
}
