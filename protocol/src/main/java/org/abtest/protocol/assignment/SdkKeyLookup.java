package org.abtest.protocol.assignment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.abtest.protocol.manifest.SdkExperiment;
import org.abtest.protocol.manifest.SdkKeys;
import org.abtest.protocol.manifest.SdkManifest;

/**
 * Finds, in an obfuscated SDK manifest, the experiment a caller names by its real key: each
 * experiment's key is hashed with its own salt, so the first lookup of a key hashes it once per
 * experiment and remembers the answer. The memory is bounded ({@link #MAX_REMEMBERED} keys per
 * manifest); past it, lookups are computed each time, never stored.
 */
final class SdkKeyLookup {

  static final int MAX_REMEMBERED = 1024;

  private final SdkManifest manifest;
  private final Map<String, String> saltByHashedKey = new HashMap<>();
  private final ConcurrentHashMap<String, Optional<String>> remembered = new ConcurrentHashMap<>();

  SdkKeyLookup(SdkManifest manifest) {
    this.manifest = manifest;
    for (SdkExperiment e : all(manifest)) {
      saltByHashedKey.put(e.key(), e.salt());
    }
  }

  /** The hashed key of the experiment whose real key this is, or null when there is none. */
  String experiment(String key) {
    if (key == null) {
      return null;
    }
    Optional<String> known = remembered.get(key);
    if (known == null) {
      known = find(key);
      if (remembered.size() < MAX_REMEMBERED) {
        remembered.putIfAbsent(key, known);
      }
    }
    return known.orElse(null);
  }

  /** The hashed key of a variant of the experiment with this real key, or null. */
  String variant(String experiment, String variant) {
    String hashed = experiment(experiment);
    return hashed == null || variant == null
        ? null
        : SdkKeys.variant(saltByHashedKey.get(hashed), variant);
  }

  /** How many lookups are remembered (at most {@link #MAX_REMEMBERED}). */
  int remembered() {
    return remembered.size();
  }

  /** Live and shipped experiments: a caller names either by its real key. */
  private static List<SdkExperiment> all(SdkManifest manifest) {
    if (manifest.shipped().isEmpty()) {
      return manifest.experiments();
    }
    List<SdkExperiment> all = new ArrayList<>(manifest.experiments());
    all.addAll(manifest.shipped());
    return all;
  }

  private Optional<String> find(String key) {
    for (SdkExperiment e : all(manifest)) {
      String hashed = SdkKeys.experiment(e.salt(), key);
      if (hashed.equals(e.key())) {
        return Optional.of(hashed);
      }
    }
    return Optional.empty();
  }
}
