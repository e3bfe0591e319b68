package org.abtest.node.assignment;

import java.util.concurrent.atomic.AtomicReference;
import org.abtest.protocol.manifest.Manifest;

/**
 * The node's current manifest, read by every assignment request without asking an actor. Only the
 * evaluator actor writes it, and it never goes back to an older version.
 */
public final class ManifestHolder {

  private final AtomicReference<Manifest> current = new AtomicReference<>(null);

  /** Null until the first manifest arrives: assignment then answers with defaults. */
  public Manifest current() {
    return current.get();
  }

  /** Takes the manifest unless it is older than the one held; true when taken. */
  public boolean offer(Manifest manifest) {
    Manifest before;
    do {
      before = current.get();
      if (before != null && before.version() > manifest.version()) {
        return false;
      }
    } while (!current.compareAndSet(before, manifest));
    return true;
  }
}
