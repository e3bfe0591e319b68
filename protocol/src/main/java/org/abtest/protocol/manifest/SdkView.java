package org.abtest.protocol.manifest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.abtest.protocol.experiment.Variant;

/**
 * Derives the SDK manifest from the internal one: the one place that decides what an SDK key may
 * see. Evaluating the result gives the same answers as evaluating the internal manifest (with keys
 * hashed when obfuscated); the agreement tests check it.
 */
public final class SdkView {

  private SdkView() {}

  public static SdkManifest of(Manifest manifest, boolean obfuscated) {
    List<SdkExperiment> experiments = new ArrayList<>(manifest.experiments().size());
    for (ManifestExperiment e : manifest.experiments()) {
      experiments.add(experiment(e, manifest.layerSalts(), obfuscated));
    }
    List<SdkExperiment> shipped = new ArrayList<>(manifest.shipped().size());
    for (ManifestExperiment e : manifest.shipped()) {
      shipped.add(experiment(e, manifest.layerSalts(), obfuscated));
    }
    return new SdkManifest(
        manifest.version(), obfuscated, experiments, manifest.holdout(), shipped);
  }

  private static SdkExperiment experiment(
      ManifestExperiment e, Map<String, String> layerSalts, boolean obfuscated) {
    SdkKeys.Keyed hash = SdkKeys.keyed(e.salt());
    boolean layered = e.layer() != null && e.layerSlots() != null;
    // A layer without a salt in the manifest is salted with its key (CompiledManifest does the
    // same), so the view names that key as the salt: the answers stay the same.
    String layerSalt = layered ? layerSalts.getOrDefault(e.layer(), e.layer()) : null;
    List<Variant> variants = new ArrayList<>(e.variants().size());
    for (Variant v : e.variants()) {
      variants.add(
          obfuscated
              ? new Variant(hash.hash(SdkKeys.VARIANT, v.key()), v.weight(), v.config())
              : v);
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    e.overrides()
        .forEach(
            (unit, variant) ->
                overrides.put(
                    hash.hash(SdkKeys.UNIT, unit),
                    obfuscated ? hash.hash(SdkKeys.VARIANT, variant) : variant));
    return new SdkExperiment(
        obfuscated ? hash.hash(SdkKeys.EXPERIMENT, e.key()) : e.key(),
        e.salt(),
        layerSalt,
        layered ? e.layerSlots() : null,
        e.holdout(),
        e.targeting(),
        e.coverage(),
        variants,
        overrides,
        e.sticky());
  }
}
