package org.abtest.sdkjs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.assignment.Evaluation;
import org.abtest.protocol.assignment.StickyBuckets;
import org.abtest.protocol.experiment.ExperimentType;
import org.abtest.protocol.experiment.SlotRange;
import org.abtest.protocol.experiment.Variant;
import org.abtest.protocol.manifest.Holdout;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.abtest.protocol.manifest.SdkManifest;
import org.abtest.protocol.manifest.SdkView;
import org.junit.jupiter.api.Test;

/**
 * The TypeScript SDK and protocol's evaluator give the same answers: 100,000 generated units with
 * generated attributes, over the demo's three experiments and experiments that use every rule the
 * evaluator has (targeting, layers, holdout, coverage, unequal weights, overrides, forced variants,
 * a flag, one that cannot be compiled) and shipped winners (targeted, untargeted, and two the
 * evaluators must refuse: a split and a key that is also live). The manifests are the SDK views the
 * node serves (plain and obfuscated), written to target/ with the units and the Java answers; then
 * {@code node} evaluates the same with the built SDK ({@code dist/}) and counts the lines that
 * differ.
 */
class SdkAgreementTest {

  static final int UNITS = 100_000;

  /** The experiments with sticky bucketing: a layered one below full coverage, a targeted one. */
  static final java.util.Set<String> STICKY = java.util.Set.of("layer-right", "targeted-pricing");

  private static final Path DIR = Path.of(System.getProperty("abtest.sdkjs.dir", "."));

  @Test
  void sdkAndJavaEvaluatorAgreeOnEveryGeneratedUnitOfEveryExperiment() throws Exception {
    Path out = DIR.resolve("target/sdk-agreement");
    Files.createDirectories(out);
    Manifest manifest = manifest();
    SdkManifest plain = SdkView.of(manifest, false);
    SdkManifest hidden = SdkView.of(manifest, true);
    Files.write(out.resolve("manifest.json"), Json.mapper().writeValueAsBytes(plain));
    Files.write(out.resolve("manifest-obfuscated.json"), Json.mapper().writeValueAsBytes(hidden));
    CompiledManifest p = CompiledManifest.compile(plain);
    CompiledManifest h = CompiledManifest.compile(hidden);
    StickyBuckets plainStored = stored(plain);
    StickyBuckets hiddenStored = stored(hidden);
    List<String> keys = new ArrayList<>();
    manifest.experiments().forEach(e -> keys.add(e.key()));
    manifest.shipped().forEach(e -> keys.add(e.key()));
    // broken-override, and the shipped entries off their shape or repeating a live key
    assertThat(p.problems()).hasSize(3);
    assertThat(h.problems()).hasSize(3);

    Random random = new Random(19);
    try (BufferedWriter units = Files.newBufferedWriter(out.resolve("units.jsonl"));
        BufferedWriter answers = Files.newBufferedWriter(out.resolve("java.txt"))) {
      for (int i = 0; i < UNITS; i++) {
        String unit = unit(i, random);
        JsonNode attributes = attributes(random);
        Map<String, String> forced = i % 50 == 0 ? Map.of("targeted-pricing", "v2") : Map.of();
        units.write(Json.mapper().writeValueAsString(List.of(unit, attributes, forced)));
        units.newLine();
        answers.write(line(p, keys, unit, attributes, forced, plainStored));
        answers.write(" # ");
        answers.write(line(h, keys, unit, attributes, Map.of(), hiddenStored));
        answers.newLine();
      }
    }

    Process node =
        new ProcessBuilder("node", "test-agreement/compare.mjs", out.toString())
            .directory(DIR.toFile())
            .redirectErrorStream(true)
            .start();
    String report = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(node.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(report).contains(UNITS + " units, 0 mismatches");
    assertThat(node.exitValue()).as(report).isZero();
  }

  /**
   * Stored first variants both evaluators can compute without sharing state: the unit's UTF-16 code
   * units summed, modulo the variants plus one, name a variant of the experiment (by its key in
   * this manifest) or nothing stored.
   */
  static StickyBuckets stored(SdkManifest manifest) {
    Map<String, List<String>> variants = new java.util.HashMap<>();
    for (var e : manifest.experiments()) {
      variants.put(e.key(), e.variants().stream().map(Variant::key).toList());
    }
    return new StickyBuckets() {
      @Override
      public String variant(String experiment, String salt, String unit) {
        List<String> keys = variants.get(experiment);
        int i = unit.chars().sum() % (keys.size() + 1);
        return i == keys.size() ? null : keys.get(i);
      }

      @Override
      public void assigned(String experiment, String salt, String unit, String variant) {}
    };
  }

  /** The evaluate answers, then each experiment's outcome and variant (by its real key). */
  static String line(
      CompiledManifest m,
      List<String> keys,
      String unit,
      JsonNode attributes,
      Map<String, String> forced,
      StickyBuckets stored) {
    StringBuilder s = new StringBuilder();
    for (Assignment a : m.evaluate(unit, attributes, forced, stored)) {
      s.append(a.experiment()).append('=').append(a.variant()).append(a.config());
      s.append(a.shipped() ? "! " : " ");
    }
    s.append('|');
    for (String key : keys) {
      String k = m.keyOf(key);
      Evaluation e = k == null ? null : m.explain(k, unit, attributes, stored);
      s.append(' ').append(e == null ? "NONE" : e.outcome());
      if (e != null && e.assignment() != null) {
        s.append('=').append(e.assignment().variant());
      }
    }
    return s.toString();
  }

  private static final String[] COUNTRIES = {"US", "CA", "DE", "FR", "us", ""};
  private static final String[] PLATFORMS = {"ios", "android", "web"};

  static String unit(int i, Random random) {
    return switch (i % 10) {
      case 0 -> "ünïcödé-" + i;
      case 1 -> "ユーザー" + i;
      case 2 -> Long.toHexString(random.nextLong());
      case 3 -> "u-" + random.nextInt(60);
      default -> "user-" + i;
    };
  }

  static JsonNode attributes(Random random) {
    ObjectNode a = Json.mapper().createObjectNode();
    if (random.nextInt(10) > 0) {
      a.put("country", COUNTRIES[random.nextInt(COUNTRIES.length)]);
    }
    a.put("platform", PLATFORMS[random.nextInt(PLATFORMS.length)]);
    switch (random.nextInt(4)) {
      case 0 -> a.put("age", random.nextInt(80));
      case 1 -> a.put("age", Integer.toString(random.nextInt(80)));
      case 2 -> a.putNull("age");
      default -> {}
    }
    a.putObject("app")
        .put(
            "version",
            random.nextInt(5)
                + "."
                + random.nextInt(12)
                + "."
                + random.nextInt(3)
                + (random.nextInt(6) == 0 ? "-beta.1" : ""));
    a.put("email", "p" + random.nextInt(1000) + (random.nextBoolean() ? "@example.com" : "@x.io"));
    var tags = a.putArray("tags");
    for (int t = random.nextInt(4); t > 0; t--) {
      tags.add(random.nextBoolean() ? "beta" : "vip" + random.nextInt(3));
    }
    return a;
  }

  /** The demo's experiments (deploy/launcher's DemoExperiments) and one per evaluation rule. */
  static Manifest manifest() {
    List<ManifestExperiment> e = new ArrayList<>();
    e.add(
        split(
            "checkout-button",
            v("control", 5000, "{}"),
            v("green", 5000, "{\"color\": \"green\"}")));
    e.add(split("search-ranking-aa", v("a", 5000, "{}"), v("b", 5000, "{}")));
    e.add(split("onboarding-flow", v("control", 5000, "{}"), v("short", 5000, "{}")));
    e.add(
        experiment(
            "targeted-pricing",
            null,
            null,
            false,
            "{\"country\": {\"$in\": [\"US\", \"CA\"]}, \"app.version\": {\"$vgte\": \"2.3.0\"}}",
            8000,
            Map.of(),
            v("v1", 3334, "{\"price\": 9}"),
            v("v2", 3333, "{\"price\": 10}"),
            v("v3", 3333, "{\"price\": 11}")));
    e.add(
        experiment(
            "layer-left",
            "checkout",
            new SlotRange(0, 4000),
            false,
            null,
            10000,
            Map.of(),
            v("a", 5000, "{}"),
            v("b", 5000, "{}")));
    e.add(
        experiment(
            "layer-right",
            "checkout",
            new SlotRange(4000, 10000),
            true,
            null,
            6000,
            Map.of(),
            v("a", 2000, "{}"),
            v("b", 8000, "{}")));
    e.add(
        experiment(
            "holdout-aware",
            null,
            null,
            true,
            "{\"platform\": {\"$ne\": \"web\"}}",
            10000,
            Map.of(),
            v("off", 5000, "{}"),
            v("on", 5000, "{}")));
    e.add(
        experiment(
            "qa-overrides",
            null,
            null,
            false,
            null,
            2000,
            Map.of("u-7", "b", "u-42", "a", "ünïcödé-0", "b"),
            v("a", 5000, "{}"),
            v("b", 5000, "{}")));
    e.add(
        experiment(
            "new-nav",
            null,
            null,
            false,
            "{\"$or\": [{\"platform\": \"ios\"}, {\"age\": {\"$gte\": 30}}], \"tags\": {\"$elemMatch\":"
                + " {\"$regex\": \"^vip\"}}}",
            10000,
            Map.of(),
            v("on", 10000, "{\"value\": true, \"label\": \"New\"}")));
    e.add(
        experiment(
            "email-regex",
            null,
            null,
            false,
            "{\"email\": {\"$regex\": \"@example\\\\.(com|org)$\"}, \"country\": {\"$nin\": [\"DE\"]},"
                + " \"$not\": {\"app.version\": {\"$vlt\": \"1.0.0\"}}}",
            10000,
            Map.of(),
            v("x", 1000, "{}"),
            v("y", 9000, "{\"n\": [1, 2]}")));
    e.add(
        experiment(
            "broken-override",
            null,
            null,
            false,
            null,
            10000,
            Map.of("u-1", "nope"),
            v("a", 10000, "{}")));
    List<ManifestExperiment> shipped = new ArrayList<>();
    shipped.add(
        experiment(
            "shipped-banner",
            null,
            null,
            true,
            "{\"platform\": {\"$in\": [\"ios\", \"android\"]}}",
            10000,
            Map.of(),
            v("blue", 10000, "{\"banner\": \"blue\"}")));
    shipped.add(split("shipped-flag", v("on", 10000, "{\"on\": true}")));
    shipped.add(split("shipped-split", v("a", 5000, "{}"), v("b", 5000, "{}")));
    shipped.add(split("checkout-button", v("green", 10000, "{\"color\": \"green\"}")));
    return new Manifest(
        17,
        e,
        Map.of("checkout", "layer-salt-checkout"),
        new Holdout("holdout-salt", new SlotRange(0, 1000)),
        Map.of(),
        shipped);
  }

  static Variant v(String key, int weight, String config) {
    try {
      return new Variant(key, weight, Json.mapper().readTree(config));
    } catch (IOException ex) {
      throw new IllegalArgumentException(ex);
    }
  }

  static ManifestExperiment split(String key, Variant... variants) {
    return experiment(key, null, null, false, null, 10000, Map.of(), variants);
  }

  static ManifestExperiment experiment(
      String key,
      String layer,
      SlotRange slots,
      boolean holdout,
      String targeting,
      int coverage,
      Map<String, String> overrides,
      Variant... variants) {
    try {
      return new ManifestExperiment(
          key,
          variants.length == 1 ? ExperimentType.FLAG : ExperimentType.EXPERIMENT,
          1,
          "salt-" + key,
          layer,
          slots,
          holdout,
          targeting == null ? null : Json.mapper().readTree(targeting),
          coverage,
          List.of(variants),
          new LinkedHashMap<>(overrides),
          List.of(),
          null,
          null,
          STICKY.contains(key));
    } catch (IOException ex) {
      throw new IllegalArgumentException(ex);
    }
  }
}
