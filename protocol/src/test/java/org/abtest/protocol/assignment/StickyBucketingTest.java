package org.abtest.protocol.assignment;

import static org.abtest.protocol.assignment.Manifests.experiment;
import static org.abtest.protocol.assignment.Manifests.json;
import static org.abtest.protocol.assignment.Manifests.manifest;
import static org.abtest.protocol.assignment.Manifests.variantOf;
import static org.abtest.protocol.assignment.Manifests.variants;
import static org.abtest.protocol.assignment.Manifests.with;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.assignment.Evaluation.Outcome;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.abtest.protocol.manifest.SdkView;
import org.junit.jupiter.api.Test;

class StickyBucketingTest {

  /** A map of stored variants, as the server's cache and the client's stores hold them. */
  static final class Stored implements StickyBuckets {
    final Map<String, String> rows = new HashMap<>();
    int kept;

    @Override
    public String variant(String experiment, String salt, String unit) {
      return rows.get(experiment + "/" + salt + "/" + unit);
    }

    @Override
    public void assigned(String experiment, String salt, String unit, String variant) {
      rows.put(experiment + "/" + salt + "/" + unit, variant);
      kept++;
    }
  }

  private static ManifestExperiment sticky(ManifestExperiment e) {
    return e.withSticky(true);
  }

  private static ManifestExperiment reweighted(ManifestExperiment e, int... weights) {
    return new ManifestExperiment(
        e.key(),
        e.type(),
        e.phase(),
        e.salt(),
        e.layer(),
        e.layerSlots(),
        e.holdout(),
        e.targeting(),
        e.coverage(),
        variants(weights),
        e.overrides(),
        e.metrics(),
        null,
        null,
        e.sticky());
  }

  private static final ManifestExperiment HALF = sticky(experiment("e", 10_000, 5_000, 5_000));
  private static final ManifestExperiment MOSTLY_V1 = reweighted(HALF, 2_000, 8_000);

  @Test
  void aStickyWeightChangeMovesNoStoredUnitWhileNewUnitsFollowTheNewWeights() {
    Stored stored = new Stored();
    CompiledManifest before = CompiledManifest.compile(manifest(HALF));
    Map<String, String> first = new HashMap<>();
    for (int i = 0; i < 1000; i++) {
      first.put("u" + i, variantOf(before.evaluate("u" + i, null, Map.of(), stored), "e"));
    }
    assertThat(stored.kept).isEqualTo(1000);

    CompiledManifest after = CompiledManifest.compile(manifest(MOSTLY_V1));
    int moved = 0;
    int movedByHash = 0;
    for (int i = 0; i < 1000; i++) {
      String u = "u" + i;
      moved +=
          first.get(u).equals(variantOf(after.evaluate(u, null, Map.of(), stored), "e")) ? 0 : 1;
      movedByHash += first.get(u).equals(variantOf(after.evaluate(u, null), "e")) ? 0 : 1;
    }
    assertThat(moved).isZero();
    assertThat(movedByHash).isGreaterThan(250); // contiguous ranges alone move about 30 %

    int v1 = 0;
    for (int i = 0; i < 10_000; i++) {
      v1 += "v1".equals(variantOf(after.evaluate("new" + i, null, Map.of(), stored), "e")) ? 1 : 0;
    }
    assertThat(v1).isBetween(7_800, 8_200);
  }

  @Test
  void aStoredUnitThatLeftTheTargetingOrTheCoverageIsOutAsWithoutStickiness() {
    Stored stored = new Stored();
    ManifestExperiment targeted = with(HALF, json("{\"country\":\"DE\"}"), false, Map.of());
    stored.assigned("e", HALF.salt(), "u1", "v1");
    CompiledManifest m = CompiledManifest.compile(manifest(targeted));
    assertThat(m.evaluate("u1", json("{\"country\":\"US\"}"), Map.of(), stored)).isEmpty();

    CompiledManifest none =
        CompiledManifest.compile(manifest(sticky(experiment("e", 0, 5_000, 5_000))));
    assertThat(none.evaluate("u1", null, Map.of(), stored)).isEmpty();
  }

  @Test
  void overridesWinOverAStoredVariantAndAreNotStored() {
    Stored stored = new Stored();
    stored.assigned("e", HALF.salt(), "u1", "v1");
    stored.kept = 0;
    CompiledManifest m =
        CompiledManifest.compile(manifest(with(HALF, null, false, Map.of("u1", "control"))));
    assertThat(variantOf(m.evaluate("u1", null, Map.of(), stored), "e")).isEqualTo("control");
    assertThat(variantOf(m.evaluate("u1", null, Map.of("e", "v1"), stored), "e")).isEqualTo("v1");
    assertThat(stored.kept).isZero();
  }

  @Test
  void aStoredVariantAtWeightZeroGivesWayToTheBucketAndWinsAgainWhenItServesAgain() {
    Stored stored = new Stored();
    stored.assigned("e", HALF.salt(), "u1", "v1");
    CompiledManifest off = CompiledManifest.compile(manifest(reweighted(HALF, 10_000, 0)));
    assertThat(variantOf(off.evaluate("u1", null, Map.of(), stored), "e")).isEqualTo("control");
    assertThat(stored.variant("e", HALF.salt(), "u1")).isEqualTo("v1");
    CompiledManifest back = CompiledManifest.compile(manifest(reweighted(HALF, 9_999, 1)));
    assertThat(variantOf(back.evaluate("u1", null, Map.of(), stored), "e")).isEqualTo("v1");
  }

  @Test
  void aNewSaltStartsAfreshAndANonStickyExperimentNeitherReadsNorStores() {
    Stored stored = new Stored();
    String hashed = variantOf(CompiledManifest.compile(manifest(HALF)).evaluate("u1", null), "e");
    String other = hashed.equals("control") ? "v1" : "control";
    stored.assigned("e", "an-older-salt", "u1", other);
    stored.kept = 0;
    CompiledManifest m = CompiledManifest.compile(manifest(HALF));
    assertThat(variantOf(m.evaluate("u1", null, Map.of(), stored), "e")).isEqualTo(hashed);
    assertThat(stored.kept).isEqualTo(1);

    Stored untouched = new Stored();
    untouched.assigned("e", HALF.salt(), "u1", other);
    untouched.kept = 0;
    CompiledManifest plain =
        CompiledManifest.compile(manifest(experiment("e", 10_000, 5_000, 5_000)));
    assertThat(plain.anySticky()).isFalse();
    assertThat(variantOf(plain.evaluate("u1", null, Map.of(), untouched), "e")).isEqualTo(hashed);
    assertThat(untouched.kept).isZero();
  }

  @Test
  void explainAndVariantOfGiveTheStoredVariantWithOutcomeSticky() {
    Stored stored = new Stored();
    CompiledManifest before = CompiledManifest.compile(manifest(HALF));
    CompiledManifest after = CompiledManifest.compile(manifest(MOSTLY_V1));
    String moving = null;
    for (int i = 0; moving == null; i++) {
      String u = "u" + i;
      String was = variantOf(before.evaluate(u, null), "e");
      if (!was.equals(variantOf(after.evaluate(u, null), "e"))) {
        moving = u;
        stored.assigned("e", HALF.salt(), u, was);
      }
    }
    Evaluation e = after.explain("e", moving, null, stored);
    assertThat(e.outcome()).isEqualTo(Outcome.STICKY);
    assertThat(e.outcome().reason()).isEqualTo("SPLIT");
    assertThat(after.variantOf("e", moving, null, stored).variant())
        .isEqualTo(stored.variant("e", HALF.salt(), moving));
    assertThat(after.explain("e", moving, null).outcome()).isEqualTo(Outcome.SPLIT);
  }

  @Test
  void theSdkManifestGivesTheSameStickyAnswersUnderItsOwnKeys() {
    CompiledManifest internal = CompiledManifest.compile(manifest(MOSTLY_V1));
    CompiledManifest sdk = CompiledManifest.compile(SdkView.of(manifest(MOSTLY_V1), false));
    assertThat(SdkView.of(manifest(MOSTLY_V1), true).experiments().get(0).sticky()).isTrue();
    Stored a = new Stored();
    Stored b = new Stored();
    for (int i = 0; i < 200; i++) {
      a.assigned("e", HALF.salt(), "u" + i, i % 2 == 0 ? "control" : "v1");
      b.assigned("e", HALF.salt(), "u" + i, i % 2 == 0 ? "control" : "v1");
    }
    for (int i = 0; i < 400; i++) {
      List<Assignment> x = internal.evaluate("u" + i, null, Map.of(), a);
      List<Assignment> y = sdk.evaluate("u" + i, null, Map.of(), b);
      assertThat(y).isEqualTo(x);
    }
    assertThat(b.rows).isEqualTo(a.rows);
  }
}
