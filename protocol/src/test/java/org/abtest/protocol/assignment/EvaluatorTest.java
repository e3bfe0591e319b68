package org.abtest.protocol.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.experiment.Experiment;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

class EvaluatorTest {

  private static ManifestExperiment experiment(int coverage, int... weights) {
    var variants = new java.util.ArrayList<Variant>();
    for (int i = 0; i < weights.length; i++) {
      variants.add(new Variant("v" + i, weights[i], null));
    }
    return ManifestExperiment.of(
        Experiment.draft("exp", "exp", coverage, variants).asCreated("a1b2c3", Instant.EPOCH));
  }

  @Test
  void unitIsInTheVariantWhoseRangeHoldsItsBucket() {
    // bucket(a1b2c3, user-1) = 1769 and bucket(a1b2c3, user-2) = 8191 (DESIGN.md §3).
    ManifestExperiment e = experiment(10_000, 5000, 5000);
    assertThat(Evaluator.variantFor(e, "user-1").key()).isEqualTo("v0");
    assertThat(Evaluator.variantFor(e, "user-2").key()).isEqualTo("v1");
  }

  @Test
  void partialCoverageShrinksEachRangeFromItsStart() {
    // coverage 40%: v0 owns [0, 2000), v1 owns [5000, 7000); 1769 is in, 8191 is out.
    ManifestExperiment e = experiment(4000, 5000, 5000);
    assertThat(Evaluator.variantFor(e, "user-1").key()).isEqualTo("v0");
    assertThat(Evaluator.variantFor(e, "user-2")).isNull();
  }

  @Test
  void raisingCoverageKeepsEveryoneInTheirVariant() {
    Map<String, String> before = new HashMap<>();
    ManifestExperiment narrow = experiment(3000, 2000, 3000, 5000);
    ManifestExperiment wide = experiment(9000, 2000, 3000, 5000);
    for (int i = 0; i < 20_000; i++) {
      Variant v = Evaluator.variantFor(narrow, "u" + i);
      if (v != null) {
        before.put("u" + i, v.key());
      }
    }
    assertThat(before).isNotEmpty();
    before.forEach(
        (unit, key) -> assertThat(Evaluator.variantFor(wide, unit).key()).isEqualTo(key));
  }

  @Test
  void variantSharesFollowTheWeights() {
    ManifestExperiment e = experiment(10_000, 2000, 8000);
    int n = 200_000;
    int inFirst = 0;
    for (int i = 0; i < n; i++) {
      if (Evaluator.variantFor(e, "unit-" + i).key().equals("v0")) {
        inFirst++;
      }
    }
    // Binomial(200000, 0.2): sd ≈ 179, so ±5 sd is ±894.
    assertThat(inFirst).isBetween(40_000 - 894, 40_000 + 894);
  }

  @Test
  void manifestEvaluationListsTheExperimentsTheUnitIsIn() {
    ManifestExperiment running = experiment(10_000, 5000, 5000);
    List<Assignment> assignments =
        Evaluator.evaluate(new Manifest(3, List.of(running), Map.of(), null), "user-2");
    assertThat(assignments)
        .containsExactly(new Assignment("exp", "v1", running.variants().get(1).config()));
  }
}
