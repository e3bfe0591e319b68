package org.abtest.http.ports;

import java.util.Optional;

/**
 * The manifest this node evaluates, already written as JSON, for SDKs that evaluate locally. Reads
 * are lock-free and never wait on an actor.
 */
public interface ManifestService {

  /** A manifest as served: its version (the ETag) and its JSON body, written once. */
  record Served(long version, byte[] json) {}

  /** Empty until the node has its first manifest. */
  Optional<Served> served();

  /**
   * The view an SDK key gets: {@link #served()}, or with {@code obfuscated} the one whose
   * experiment and variant keys are keyed hashes. A service without that view serves nothing to an
   * obfuscated key rather than the keys in clear.
   */
  default Optional<Served> served(boolean obfuscated) {
    return obfuscated ? Optional.empty() : served();
  }

  /**
   * The view an SDK key of {@code environment} gets: the experiments enabled there, at its
   * coverage. A service that knows no environments serves every key the same.
   */
  default Optional<Served> served(String environment, boolean obfuscated) {
    return served(obfuscated);
  }
}
