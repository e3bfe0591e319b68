package org.abtest.benchmarks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.abtest.protocol.Json;
import org.abtest.protocol.assignment.CompiledManifest;
import org.abtest.protocol.assignment.StickyBuckets;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.ManifestExperiment;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What sticky bucketing costs one evaluation: the scenario's experiments for one user, plain, and
 * with every experiment sticky and the user's first variants in memory (as the node's cache or a
 * client's in-memory store holds them), in the same run. The store's read on a cache miss is not
 * here: it is a network round trip, bounded by {@code abtest.sticky.read-timeout}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class StickyEvaluationBenchmark {

  @Param({"1", "50"})
  public int experiments;

  @Param({"plain", "sticky"})
  public String mode;

  private CompiledManifest manifest;
  private String[] units;
  private ObjectNode[] attributes;
  private Map<String, Map<String, Row>> stored;
  private int next;

  private record Row(String experiment, String variant) {}

  /** A unit's stored variants, keyed as the node's cache keys them (by salt). */
  private record Stored(Map<String, Row> variants) implements StickyBuckets {
    @Override
    public String variant(String experiment, String salt, String unit) {
      Row row = variants.get(salt);
      return row != null && row.experiment().equals(experiment) ? row.variant() : null;
    }

    @Override
    public void assigned(String experiment, String salt, String unit, String variant) {
      variants.put(salt, new Row(experiment, variant));
    }
  }

  @Setup(Level.Trial)
  public void setUp() {
    Manifest plain = new OurSdk(Scenario.specs(experiments)).compiled().manifest();
    List<ManifestExperiment> sticky = new ArrayList<>();
    for (ManifestExperiment e : plain.experiments()) {
      sticky.add(e.withSticky(mode.equals("sticky")));
    }
    manifest =
        CompiledManifest.compile(new Manifest(1, sticky, plain.layerSalts(), plain.holdout()));
    units = new String[4096];
    attributes = new ObjectNode[units.length];
    stored = new HashMap<>();
    for (int i = 0; i < units.length; i++) {
      Scenario.User u = Scenario.User.of(i);
      units[i] = u.id();
      ObjectNode a = Json.mapper().createObjectNode();
      a.put("country", u.country());
      a.put("platform", u.platform());
      a.put("appVersion", u.appVersion());
      a.put("age", u.age());
      attributes[i] = a;
      Map<String, Row> variants = new HashMap<>();
      manifest.evaluate(u.id(), a, Map.of(), new Stored(variants)); // their first variants
      stored.put(u.id(), Map.copyOf(variants));
    }
  }

  /**
   * One user, all experiments; with sticky, the user's stored variants looked up first (every first
   * variant is stored already, so nothing is written).
   */
  @Benchmark
  public int evaluateAllForOneUser() {
    int i = next++ & 4095;
    StickyBuckets buckets = mode.equals("sticky") ? new Stored(stored.get(units[i])) : null;
    return manifest.evaluate(units[i], attributes[i], Map.of(), buckets).size();
  }
}
