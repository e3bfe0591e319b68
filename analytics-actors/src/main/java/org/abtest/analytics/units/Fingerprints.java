package org.abtest.analytics.units;

/** One time bucket of the dedup window, as a snapshot reads it. */
sealed interface Fingerprints permits OpenFingerprints, ClosedFingerprints {

  /** Receives fingerprints one by one. */
  interface Visitor {
    void fingerprint(long hi, long lo);
  }

  long start();

  int size();

  void forEach(Visitor visitor);
}
