package org.abtest.protocol.manifest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.assignment.Assignment;
import org.abtest.protocol.experiment.Variant;

/**
 * The server's two-way table between an internal manifest's experiment and variant keys and their
 * {@link SdkKeys keyed hashes}, as an obfuscated SDK key sees them: {@link #hide} for the
 * assignments answered to such a key, {@link #reveal} for the exposures it sends back. Its size
 * follows the manifest's (one entry per experiment and variant).
 */
public final class HashedKeys {

  /** What an exposure's keys mean: the real keys, or which of the two named no live key. */
  public record Revealed(String experiment, String variant, Unknown unknown) {
    public enum Unknown {
      NONE,
      EXPERIMENT,
      VARIANT
    }
  }

  private record Hidden(String key, Map<String, String> variants) {}

  private record Real(String key, Map<String, String> variants, Map<String, String> byHash) {}

  private final Map<String, Hidden> byKey;
  private final Map<String, Real> byHash;

  private HashedKeys(Map<String, Hidden> byKey, Map<String, Real> byHash) {
    this.byKey = byKey;
    this.byHash = byHash;
  }

  public static HashedKeys of(Manifest manifest) {
    Map<String, Hidden> byKey = new HashMap<>();
    Map<String, Real> byHash = new HashMap<>();
    // shipped entries too: their assignments are answered hashed; their exposures are refused
    List<ManifestExperiment> all = new ArrayList<>(manifest.experiments());
    all.addAll(manifest.shipped());
    for (ManifestExperiment e : all) {
      SdkKeys.Keyed hash = SdkKeys.keyed(e.salt());
      Map<String, String> hidden = new HashMap<>();
      Map<String, String> revealed = new HashMap<>();
      for (Variant v : e.variants()) {
        String h = hash.hash(SdkKeys.VARIANT, v.key());
        hidden.put(v.key(), h);
        revealed.put(h, v.key());
      }
      String key = hash.hash(SdkKeys.EXPERIMENT, e.key());
      byKey.put(e.key(), new Hidden(key, Map.copyOf(hidden)));
      byHash.put(key, new Real(e.key(), Map.copyOf(hidden), Map.copyOf(revealed)));
    }
    return new HashedKeys(Map.copyOf(byKey), Map.copyOf(byHash));
  }

  /** The assignments with hashed experiment and variant keys; configs stay as they are. */
  public List<Assignment> hide(List<Assignment> assignments) {
    List<Assignment> out = new ArrayList<>(assignments.size());
    for (Assignment a : assignments) {
      Hidden h = byKey.get(a.experiment());
      if (h != null && h.variants().containsKey(a.variant())) {
        out.add(new Assignment(h.key(), h.variants().get(a.variant()), a.config(), a.shipped()));
      }
      // An assignment of an experiment this table does not know is left out rather than shown
      // in clear: it cannot happen for assignments made from the same manifest.
    }
    return out;
  }

  /**
   * The real keys behind an exposure's keys. A real experiment key stays (its variant is mapped if
   * it is a hash); a hashed one is mapped, and then its variant must be one of that experiment's
   * (hashed or real). A string shaped like a hash that is no live experiment's is {@code
   * EXPERIMENT}-unknown; any other unknown experiment key is returned as sent, for the checks
   * downstream to judge.
   */
  public Revealed reveal(String experiment, String variant) {
    Hidden known = byKey.get(experiment);
    if (known != null) {
      Real real = byHash.get(known.key());
      return new Revealed(experiment, real.byHash().getOrDefault(variant, variant), none());
    }
    Real real = byHash.get(experiment);
    if (real == null) {
      return SdkKeys.looksHashed(experiment)
          ? new Revealed(experiment, variant, Revealed.Unknown.EXPERIMENT)
          : new Revealed(experiment, variant, none());
    }
    String v = real.byHash().get(variant);
    if (v == null && !real.variants().containsKey(variant)) {
      return new Revealed(real.key(), variant, Revealed.Unknown.VARIANT);
    }
    return new Revealed(real.key(), v == null ? variant : v, none());
  }

  private static Revealed.Unknown none() {
    return Revealed.Unknown.NONE;
  }
}
