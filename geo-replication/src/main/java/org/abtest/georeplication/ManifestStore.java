package org.abtest.georeplication;

import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.abtest.protocol.manifest.Manifest;

/** The latest manifest of each region, kept so that a restart starts from it. */
public interface ManifestStore {

  CompletionStage<Optional<Manifest>> load(String region);

  CompletionStage<Void> save(String region, Manifest manifest);
}
