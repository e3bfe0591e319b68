package org.abtest.node.assignment;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.abtest.http.ports.ManifestService.Served;
import org.abtest.protocol.Json;
import org.abtest.protocol.manifest.Manifest;
import org.abtest.protocol.manifest.SdkView;

/**
 * The bytes {@code GET /v1/manifest} serves for one manifest: its SDK view in clear keys and with
 * hashed keys, written once per manifest (off the request path) rather than per request.
 */
record SdkManifestViews(Served plain, Served obfuscated) {

  /** The serialized bytes of both bodies. */
  long bytes() {
    return (long) plain.json().length + obfuscated.json().length;
  }

  static SdkManifestViews of(Manifest manifest) {
    return new SdkManifestViews(served(manifest, false), served(manifest, true));
  }

  Served view(boolean hashedKeys) {
    return hashedKeys ? obfuscated : plain;
  }

  private static Served served(Manifest manifest, boolean obfuscated) {
    try {
      return new Served(
          manifest.version(), Json.mapper().writeValueAsBytes(SdkView.of(manifest, obfuscated)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the SDK manifest cannot be written as JSON", e);
    }
  }
}
