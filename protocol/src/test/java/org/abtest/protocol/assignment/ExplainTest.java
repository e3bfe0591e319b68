package org.abtest.protocol.assignment;

import static org.abtest.protocol.assignment.Manifests.experiment;
import static org.abtest.protocol.assignment.Manifests.json;
import static org.abtest.protocol.assignment.Manifests.layered;
import static org.abtest.protocol.assignment.Manifests.manifest;
import static org.abtest.protocol.assignment.Manifests.variantOf;
import static org.abtest.protocol.assignment.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.abtest.protocol.assignment.Evaluation.Outcome;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.manifest.Holdout;
import org.junit.jupiter.api.Test;

/** {@link CompiledManifest#explain}: one experiment's answer and the check that decided it. */
class ExplainTest {

  private static final JsonNode US = json("{\"country\":\"US\"}");
  private static final JsonNode FR = json("{\"country\":\"FR\"}");

  private static final CompiledManifest COMPILED =
      CompiledManifest.compile(
          manifest(
              Map.of("checkout", "layer-salt"),
              new Holdout("holdout-salt", new SlotRange(0, 1000)),
              with(experiment("plain", 6000, 5000, 5000), null, true, Map.of("qa-1", "v1")),
              with(
                  experiment("targeted", 10_000, 3000, 7000),
                  json("{\"country\":{\"$in\":[\"US\"]}}"),
                  false,
                  Map.of()),
              layered("left", "checkout", 0, 5000, 5000, 5000),
              with(
                  experiment("broken", 10_000, 10_000),
                  json("{\"a\":{\"$bogus\":1}}"),
                  false,
                  Map.of())));

  @Test
  void agreesWithEvaluateForEveryExperimentWithAndWithoutAttributes() {
    for (int i = 0; i < 20_000; i++) {
      String unit = "unit-" + i;
      for (JsonNode attributes : new JsonNode[] {US, FR, null}) {
        var all = COMPILED.evaluate(unit, attributes);
        for (String key : new String[] {"plain", "targeted", "left"}) {
          Evaluation one = COMPILED.explain(key, unit, attributes);
          assertThat(one.assignment() == null ? null : one.assignment().variant())
              .as(unit + " " + key)
              .isEqualTo(variantOf(all, key));
          assertThat(one.outcome().assigned()).isEqualTo(one.assignment() != null);
        }
      }
    }
  }

  @Test
  void eachCheckNamesItselfAsTheOutcome() {
    Set<Outcome> plain = EnumSet.noneOf(Outcome.class);
    Set<Outcome> targeted = EnumSet.noneOf(Outcome.class);
    Set<Outcome> left = EnumSet.noneOf(Outcome.class);
    for (int i = 0; i < 5000; i++) {
      String unit = "unit-" + i;
      plain.add(COMPILED.explain("plain", unit, US).outcome());
      targeted.add(COMPILED.explain("targeted", unit, US).outcome());
      targeted.add(COMPILED.explain("targeted", unit, FR).outcome());
      left.add(COMPILED.explain("left", unit, null).outcome());
    }
    assertThat(plain).containsExactlyInAnyOrder(Outcome.HOLDOUT, Outcome.COVERAGE, Outcome.SPLIT);
    assertThat(targeted).containsExactlyInAnyOrder(Outcome.TARGETED, Outcome.NOT_TARGETED);
    assertThat(left).containsExactlyInAnyOrder(Outcome.LAYER, Outcome.SPLIT);
  }

  @Test
  void theExperimentsOwnOverrideIsTheOutcomeForItsUnit() {
    Evaluation qa = COMPILED.explain("plain", "qa-1", null);
    assertThat(qa.outcome()).isEqualTo(Outcome.OVERRIDE);
    assertThat(qa.assignment().variant()).isEqualTo("v1");
  }

  @Test
  void unknownAndUncompilableExperimentsAreToldApart() {
    assertThat(COMPILED.explain("paused-or-gone", "unit-1", US))
        .isEqualTo(new Evaluation(null, Outcome.NOT_LIVE));
    assertThat(COMPILED.explain("broken", "unit-1", US))
        .isEqualTo(new Evaluation(null, Outcome.INVALID));
    assertThat(CompiledManifest.EMPTY.explain("plain", "unit-1", US).outcome())
        .isEqualTo(Outcome.NOT_LIVE);
  }
}
