package org.abtest.protocol.assignment;

/**
 * A unit's stored first variants, for sticky bucketing (DESIGN.md §3, decisions §32): what {@link
 * CompiledManifest#evaluate} consults for experiments with {@code stickyBucketing}.
 *
 * <p>The rule, applied by the compiled manifest and nowhere else: request overrides and the
 * experiment's own overrides win as always; otherwise the unit must still be in the experiment by
 * the usual checks (holdout, layer, targeting, and a bucket inside the coverage). Then a stored
 * variant that still serves (non-zero weight) replaces the bucket's answer; with a stored variant
 * that no longer serves, the bucket's answer stands (the stored one is kept, and wins again if it
 * serves again); with nothing stored, the bucket's answer stands and is reported through {@link
 * #assigned} to be kept. A unit's first variant is never replaced. Keys are the manifest's own
 * (hashed in an obfuscated SDK manifest), and the salt is part of the key, so a re-randomization (a
 * new salt) starts afresh.
 *
 * <p>Implementations answer from memory and must not block: the server's loads a unit's rows before
 * evaluating, the Java client's reads its {@code StickyBucketStore}. A store that fails answers
 * null (fail-open to the hash answer).
 */
public interface StickyBuckets {

  /** Nothing stored and nothing kept: plain hashing. */
  StickyBuckets NONE =
      new StickyBuckets() {
        @Override
        public String variant(String experiment, String salt, String unit) {
          return null;
        }

        @Override
        public void assigned(String experiment, String salt, String unit, String variant) {}
      };

  /** The unit's stored variant of the experiment under this salt, or null. */
  String variant(String experiment, String salt, String unit);

  /** The unit was assigned {@code variant} by its bucket and has nothing stored. */
  void assigned(String experiment, String salt, String unit, String variant);
}
