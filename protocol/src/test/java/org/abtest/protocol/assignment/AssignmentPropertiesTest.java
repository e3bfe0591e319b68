package org.abtest.protocol.assignment;

import static org.abtest.protocol.assignment.Manifests.experiment;
import static org.abtest.protocol.assignment.Manifests.json;
import static org.abtest.protocol.assignment.Manifests.layered;
import static org.abtest.protocol.assignment.Manifests.manifest;
import static org.abtest.protocol.assignment.Manifests.variantOf;
import static org.abtest.protocol.assignment.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abtest.protocol.Json;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

/**
 * The properties of DESIGN.md §3 that callers rely on, checked over many units. Unit ids are fixed,
 * so these tests are deterministic: a statistical test either always passes or always fails.
 * Critical values are the 0.999 quantiles of the chi-squared distribution, from SciPy 1.x {@code
 * scipy.stats.chi2.ppf(0.999, df)} (same as R's {@code qchisq(0.999, df)}): df 2 → 13.8155, df 9 →
 * 27.8772.
 */
class AssignmentPropertiesTest {

  private static final double CHI2_999_DF2 = 13.8155;
  private static final double CHI2_999_DF9 = 27.8772;

  static Manifest mixed() {
    return manifest(
        Map.of("checkout", "salt-of-checkout", "search", "salt-of-search"),
        new Holdout("holdout-salt", new SlotRange(0, 500)),
        with(
            experiment("targeted", 8000, 5000, 5000),
            json("{\"country\":{\"$in\":[\"US\",\"CA\"]},\"app.version\":{\"$vgte\":\"3.0.0\"}}"),
            true,
            Map.of("qa-7", "v1")),
        layered("checkout-a", "checkout", 0, 4000, 5000, 5000),
        layered("checkout-b", "checkout", 4000, 9000, 2000, 8000),
        layered("search-a", "search", 0, 10_000, 3333, 3333, 3334),
        with(experiment("flag", 2500, 10_000), json("{\"beta\":true}"), false, Map.of()));
  }

  static ObjectNode attributes(Random random) {
    ObjectNode a = Json.mapper().createObjectNode();
    a.put("country", List.of("US", "CA", "FR", "DE").get(random.nextInt(4)));
    a.putObject("app").put("version", random.nextInt(5) + "." + random.nextInt(10) + ".0");
    if (random.nextBoolean()) {
      a.put("beta", random.nextBoolean());
    }
    return a;
  }

  @Test
  void sameInputGivesTheSameAnswerAcrossRunsAndAcrossNodes() throws Exception {
    Manifest original = mixed();
    // A "node" gets the manifest as JSON (as GET /v1/manifest serves it) and compiles its own.
    Manifest onAnotherNode =
        Json.mapper().readValue(Json.mapper().writeValueAsBytes(original), Manifest.class);
    CompiledManifest here = CompiledManifest.compile(original);
    CompiledManifest again = CompiledManifest.compile(original);
    CompiledManifest there = CompiledManifest.compile(onAnotherNode);
    assertThat(there.problems()).isEmpty();
    Random random = new Random(42);
    for (int i = 0; i < 100_000; i++) {
      String unit = "user-" + random.nextInt(1_000_000);
      ObjectNode attrs = attributes(random);
      List<Assignment> expected = here.evaluate(unit, attrs);
      assertThat(again.evaluate(unit, attrs)).isEqualTo(expected);
      assertThat(there.evaluate(unit, attrs)).isEqualTo(expected);
      assertThat(here.evaluate(unit, attrs)).isEqualTo(expected);
    }
  }

  @Test
  void raisingCoverageNeverMovesAnAssignedUnit() {
    int[] coverages = {0, 500, 2500, 5000, 9000, 10_000};
    CompiledManifest[] steps = new CompiledManifest[coverages.length];
    for (int i = 0; i < coverages.length; i++) {
      steps[i] =
          CompiledManifest.compile(manifest(experiment("e", coverages[i], 2000, 3000, 5000)));
    }
    int[] inAt = new int[coverages.length];
    for (int u = 0; u < 100_000; u++) {
      String previous = null;
      for (int i = 0; i < steps.length; i++) {
        String now = variantOf(steps[i].evaluate("u" + u, null), "e");
        if (previous != null) {
          assertThat(now).as("unit u%d at coverage %d", u, coverages[i]).isEqualTo(previous);
        }
        previous = now;
        inAt[i] += now == null ? 0 : 1;
      }
    }
    assertThat(inAt[0]).isZero();
    assertThat(inAt[5]).isEqualTo(100_000);
    assertThat(inAt[3]).isBetween(49_000, 51_000);
  }

  @Test
  void variantSharesMatchTheWeightsOverAMillionUnits() {
    int[] weights = {2000, 3000, 5000};
    CompiledManifest compiled =
        CompiledManifest.compile(manifest(experiment("e", 10_000, weights)));
    Map<String, Integer> index = Map.of("control", 0, "v1", 1, "v2", 2);
    long[] observed = new long[3];
    int n = 1_000_000;
    for (int u = 0; u < n; u++) {
      observed[index.get(compiled.evaluate("unit-" + u, null).get(0).variant())]++;
    }
    double chi2 = 0;
    for (int i = 0; i < 3; i++) {
      double expected = (double) n * weights[i] / 10_000;
      chi2 += Math.pow(observed[i] - expected, 2) / expected;
    }
    assertThat(chi2)
        .as("goodness of fit, observed %s", java.util.Arrays.toString(observed))
        .isLessThan(CHI2_999_DF2);
  }

  @Test
  void experimentsInDifferentLayersAreIndependent() {
    // Layer "checkout": a [0, 5000) and b [5000, 10000); layer "search": c and d likewise. Each
    // unit lands in one of 4 cells per layer (experiment × variant); independence means the 4×4
    // contingency table factorises.
    CompiledManifest compiled =
        CompiledManifest.compile(
            manifest(
                Map.of("checkout", "salt-of-checkout", "search", "salt-of-search"),
                null,
                layered("a", "checkout", 0, 5000, 5000, 5000),
                layered("b", "checkout", 5000, 10_000, 5000, 5000),
                layered("c", "search", 0, 5000, 5000, 5000),
                layered("d", "search", 5000, 10_000, 5000, 5000)));
    long[][] table = new long[4][4];
    int n = 400_000;
    for (int u = 0; u < n; u++) {
      List<Assignment> got = compiled.evaluate("unit-" + u, null);
      assertThat(got).hasSize(2);
      table[cell(got.get(0), "a")][cell(got.get(1), "c")]++;
    }
    long[] rows = new long[4];
    long[] cols = new long[4];
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        rows[r] += table[r][c];
        cols[c] += table[r][c];
      }
    }
    double chi2 = 0;
    for (int r = 0; r < 4; r++) {
      for (int c = 0; c < 4; c++) {
        double expected = (double) rows[r] * cols[c] / n;
        chi2 += Math.pow(table[r][c] - expected, 2) / expected;
      }
    }
    assertThat(chi2).as("test of independence, df = (4-1)(4-1)").isLessThan(CHI2_999_DF9);
  }

  private static int cell(Assignment a, String first) {
    return (a.experiment().equals(first) ? 0 : 2) + (a.variant().equals("control") ? 0 : 1);
  }

  @Test
  void killedExperimentAssignsNobodyWhateverTheAttributes() {
    Manifest all = mixed();
    List<ManifestExperiment> rest =
        all.experiments().stream().filter(e -> !e.key().equals("targeted")).toList();
    CompiledManifest killed =
        CompiledManifest.compile(new Manifest(8, rest, all.layerSalts(), all.holdout()));
    Random random = new Random(7);
    for (int i = 0; i < 50_000; i++) {
      assertThat(variantOf(killed.evaluate("u" + i, attributes(random)), "targeted")).isNull();
    }
    assertThat(variantOf(killed.evaluate("qa-7", null), "targeted")).isNull();
  }
}
