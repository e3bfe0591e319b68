package org.abtest.node.adapters;

import org.abtest.http.ApiError;
import org.abtest.node.assignment.ManifestHolder;
import org.abtest.protocol.events.TrackedEvent;
import org.abtest.protocol.manifest.HashedKeys;

/**
 * Maps the keyed hashes that an obfuscated SDK key sends in exposures to the real experiment and
 * variant keys, with the node's current manifest (the one its assignments and manifests come from),
 * before anything reaches Kafka: downstream only ever sees real keys. A hash that no live
 * experiment or variant has is refused, naming the field.
 */
final class ExposureKeys {

  private final ManifestHolder manifests;

  ExposureKeys(ManifestHolder manifests) {
    this.manifests = manifests;
  }

  TrackedEvent canonical(TrackedEvent e) {
    HashedKeys.Revealed r = manifests.compiled().hashedKeys().reveal(e.experiment(), e.variant());
    return switch (r.unknown()) {
      case EXPERIMENT ->
          throw ApiError.badRequest(
              "unknown_experiment",
              "experiment is a hashed key that no running experiment has",
              "experiment");
      case VARIANT ->
          throw ApiError.badRequest(
              "invalid_variant",
              "variant is not a key (or hashed key) of that experiment's variants",
              "variant");
      case NONE ->
          r.experiment().equals(e.experiment()) && r.variant().equals(e.variant())
              ? e
              : new TrackedEvent(
                  e.eventId(),
                  e.type(),
                  e.unit(),
                  r.experiment(),
                  r.variant(),
                  e.event(),
                  e.value(),
                  e.ts(),
                  e.attributes());
    };
  }
}
