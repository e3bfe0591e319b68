package org.abtest.protocol.assignment;

import static org.abtest.protocol.assignment.Manifests.experiment;
import static org.abtest.protocol.assignment.Manifests.json;
import static org.abtest.protocol.assignment.Manifests.layered;
import static org.abtest.protocol.assignment.Manifests.manifest;
import static org.abtest.protocol.assignment.Manifests.variantOf;
import static org.abtest.protocol.assignment.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.junit.jupiter.api.Test;

class CompiledManifestTest {

  private static final Map<String, String> NO_OVERRIDES = Map.of();

  @Test
  void reusedBufferHashesExactlyAsTheNormativeBucketing() {
    String[][] cases = {
      {"a1b2c3", "user-1"},
      {"checkout-7f3e", "42"},
      {"ünïcödé", "ユーザー"},
      {"", ""},
      {"layer-x", "alice"},
      {"a-much-longer-salt-than-the-others", "u"}
    };
    for (String[] c : cases) {
      SaltedBucketer hasher = new SaltedBucketer(c[1]);
      // the same hasher is reused for every salt, as one evaluation does
      for (String[] other : cases) {
        assertThat(hasher.bucket(SaltedBucketer.prefix(other[0])))
            .as("%s/%s", other[0], c[1])
            .isEqualTo(Bucketing.bucket(other[0], c[1]));
      }
    }
    assertThat(new SaltedBucketer("user-1").bucket(SaltedBucketer.prefix("a1b2c3")))
        .isEqualTo(1769);
  }

  @Test
  void precomputedSaltStatesHashExactlyAsCommonsCodecOnRandomSaltsAndUnits() {
    Random random = new Random(11);
    for (int i = 0; i < 100_000; i++) {
      String salt = randomText(random, random.nextInt(40));
      String unit = randomText(random, random.nextInt(40));
      assertThat(new SaltedBucketer(unit).bucket(SaltedBucketer.prefix(salt)))
          .as("%s/%s", salt, unit)
          .isEqualTo(Bucketing.bucket(salt, unit));
    }
  }

  /** Mostly ASCII, some 2-, 3- and 4-byte UTF-8, so every leftover length is hit. */
  private static String randomText(Random random, int length) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int pick = random.nextInt(10);
      out.appendCodePoint(
          pick < 7 ? 'a' + random.nextInt(26) : pick == 7 ? 0xe9 : pick == 8 ? 0x30e6 : 0x1f600);
    }
    return out.toString();
  }

  @Test
  void rangesAgreeWithTheReferenceEvaluator() {
    ManifestExperiment e = experiment("exp", 7300, 2000, 3000, 5000);
    CompiledManifest compiled = CompiledManifest.compile(manifest(e));
    for (int i = 0; i < 20_000; i++) {
      var reference = Evaluator.variantFor(e, "u" + i);
      assertThat(variantOf(compiled.evaluate("u" + i, null), "exp"))
          .isEqualTo(reference == null ? null : reference.key());
    }
  }

  @Test
  void targetingLetsInOnlyMatchingUnits() {
    ManifestExperiment e =
        with(
            experiment("exp", 10_000, 10_000),
            json("{\"country\":{\"$in\":[\"US\"]}}"),
            false,
            NO_OVERRIDES);
    CompiledManifest compiled = CompiledManifest.compile(manifest(e));
    assertThat(compiled.evaluate("u1", json("{\"country\":\"US\"}"))).hasSize(1);
    assertThat(compiled.evaluate("u1", json("{\"country\":\"FR\"}"))).isEmpty();
    assertThat(compiled.evaluate("u1", null)).isEmpty();
  }

  @Test
  void experimentsSharingAConditionAnswerAsIfEachTestedItsOwn() {
    // The same conditions, once shared by several experiments (tested once per evaluation) and once
    // made distinct by wrapping each in its own $and (tested per experiment): identical answers.
    String[] conditions = {
      "{\"country\":{\"$in\":[\"US\",\"CA\"]}}",
      "{\"age\":{\"$gt\":30}}",
      "{\"appVersion\":{\"$vgte\":\"2.5.0\"}}",
      "{}"
    };
    List<ManifestExperiment> shared = new ArrayList<>();
    List<ManifestExperiment> distinct = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      String condition = conditions[i % conditions.length];
      ManifestExperiment base = experiment("exp" + i, 6000 + 150 * i, 5000, 5000);
      shared.add(with(base, json(condition), false, NO_OVERRIDES));
      distinct.add(
          with(
              base,
              json("{\"$and\":[" + condition + ", {\"exp\":{\"$ne\":" + i + "}}]}"),
              false,
              NO_OVERRIDES));
    }
    CompiledManifest sharing = CompiledManifest.compile(new Manifest(1, shared, Map.of(), null));
    CompiledManifest separate = CompiledManifest.compile(new Manifest(1, distinct, Map.of(), null));
    String[] countries = {"US", "CA", "FR"};
    for (int u = 0; u < 5000; u++) {
      var attributes =
          json(
              "{\"country\":\""
                  + countries[u % 3]
                  + "\",\"age\":"
                  + (18 + u % 40)
                  + ",\"appVersion\":\""
                  + (u % 4)
                  + "."
                  + (u % 7)
                  + ".0\"}");
      assertThat(sharing.evaluate("u" + u, attributes))
          .isEqualTo(separate.evaluate("u" + u, attributes));
    }
  }

  @Test
  void experimentOverrideForcesTheListedUnitPastTargetingAndCoverage() {
    ManifestExperiment e =
        with(
            experiment("exp", 0, 5000, 5000),
            json("{\"country\":\"US\"}"),
            false,
            Map.of("qa-1", "v1"));
    CompiledManifest compiled = CompiledManifest.compile(manifest(e));
    assertThat(variantOf(compiled.evaluate("qa-1", null), "exp")).isEqualTo("v1");
    assertThat(compiled.evaluate("someone-else", json("{\"country\":\"US\"}"))).isEmpty();
  }

  @Test
  void requestOverrideWinsAndUnknownVariantsAreIgnored() {
    CompiledManifest compiled =
        CompiledManifest.compile(
            manifest(with(experiment("exp", 0, 5000, 5000), null, false, Map.of("u", "control"))));
    assertThat(variantOf(compiled.evaluate("u", null, Map.of("exp", "v1")), "exp")).isEqualTo("v1");
    assertThat(variantOf(compiled.evaluate("u", null, Map.of("exp", "nope")), "exp"))
        .isEqualTo("control");
    assertThat(compiled.evaluate("x", null, Map.of("other", "v1"))).isEmpty();
  }

  @Test
  void holdoutUnitsGetNothingFromExperimentsThatRespectIt() {
    Holdout holdout = new Holdout("holdout-salt", new SlotRange(0, 1000));
    ManifestExperiment respects = with(experiment("in", 10_000, 10_000), null, true, NO_OVERRIDES);
    ManifestExperiment ignores = experiment("out", 10_000, 10_000);
    CompiledManifest compiled =
        CompiledManifest.compile(manifest(Map.of(), holdout, respects, ignores));
    int held = 0;
    for (int i = 0; i < 10_000; i++) {
      String unit = "u" + i;
      List<Assignment> got = compiled.evaluate(unit, null);
      boolean inHoldout = Bucketing.bucket("holdout-salt", unit) < 1000;
      held += inHoldout ? 1 : 0;
      assertThat(variantOf(got, "in")).isEqualTo(inHoldout ? null : "control");
      assertThat(variantOf(got, "out")).isEqualTo("control");
    }
    assertThat(held).isBetween(850, 1150);
  }

  @Test
  void experimentsOfOneLayerAreMutuallyExclusive() {
    CompiledManifest compiled =
        CompiledManifest.compile(
            manifest(
                Map.of("checkout", "layer-salt"),
                null,
                layered("a", "checkout", 0, 5000, 10_000),
                layered("b", "checkout", 5000, 10_000, 10_000)));
    for (int i = 0; i < 10_000; i++) {
      List<Assignment> got = compiled.evaluate("u" + i, null);
      assertThat(got).hasSize(1);
      int slot = Bucketing.bucket("layer-salt", "u" + i);
      assertThat(got.get(0).experiment()).isEqualTo(slot < 5000 ? "a" : "b");
    }
  }

  @Test
  void killedExperimentAbsentFromTheManifestAssignsNobody() {
    ManifestExperiment live = experiment("live", 10_000, 5000, 5000);
    ManifestExperiment killed = experiment("killed", 10_000, 5000, 5000);
    CompiledManifest before = CompiledManifest.compile(manifest(live, killed));
    CompiledManifest after = CompiledManifest.compile(manifest(live));
    for (int i = 0; i < 10_000; i++) {
      assertThat(variantOf(before.evaluate("u" + i, null), "killed")).isNotNull();
      assertThat(variantOf(after.evaluate("u" + i, null), "killed")).isNull();
      assertThat(variantOf(after.evaluate("u" + i, null), "live"))
          .isEqualTo(variantOf(before.evaluate("u" + i, null), "live"));
    }
  }

  @Test
  void anExperimentThatDoesNotCompileIsLeftOutAndTheRestStillAssign() {
    ManifestExperiment broken =
        with(
            experiment("broken", 10_000, 10_000),
            json("{\"a\":{\"$bogus\":1}}"),
            false,
            NO_OVERRIDES);
    ManifestExperiment badOverride =
        with(experiment("bad-override", 10_000, 10_000), null, false, Map.of("u", "missing"));
    CompiledManifest compiled =
        CompiledManifest.compile(manifest(broken, badOverride, experiment("ok", 10_000, 10_000)));
    assertThat(compiled.problems()).hasSize(2);
    assertThat(compiled.evaluate("u", json("{\"a\":1}")))
        .extracting(Assignment::experiment)
        .containsExactly("ok");
  }

  @Test
  void emptyManifestAndNullUnitGiveNoAssignments() {
    assertThat(CompiledManifest.EMPTY.evaluate("u", null)).isEmpty();
    Manifest m = manifest(experiment("e", 10_000, 10_000));
    assertThat(CompiledManifest.compile(m).evaluate(null, null)).isEmpty();
    assertThat(CompiledManifest.compile(m).version()).isEqualTo(7);
  }

  @Test
  void assignmentCarriesTheVariantConfig() {
    CompiledManifest compiled =
        CompiledManifest.compile(manifest(experiment("e", 10_000, 0, 10_000)));
    Assignment a = compiled.evaluate("u", null).get(0);
    assertThat(a.variant()).isEqualTo("v1");
    assertThat(a.config().get("i").asInt()).isEqualTo(1);
  }
}
