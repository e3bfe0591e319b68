package org.abtest.http.limits;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts open long-lived streams (server-sent events, WebSockets) per credential and kind, and for
 * the whole node; refuses one over either cap. A stream holds its {@link Permit} until it ends.
 *
 * <p>The map holds only credentials with a stream open, so it is bounded by the node's cap.
 */
public final class StreamPermits {

  /** What {@link #acquire} answers: a permit, or the cap that refused it. */
  public sealed interface Outcome permits Permit, Refused {}

  /** The cap that refused a stream: {@code credential} or {@code node}, and its size. */
  public record Refused(String scope, int limit) implements Outcome {}

  /** An open stream's place; releasing it twice is harmless. */
  public final class Permit implements Outcome {
    private final String key;
    private final AtomicBoolean released = new AtomicBoolean();

    private Permit(String key) {
      this.key = key;
    }

    public void release() {
      if (released.compareAndSet(false, true)) {
        StreamPermits.this.release(key);
      }
    }
  }

  private final int perNode;
  private final Map<String, Integer> open = new HashMap<>(); // guarded by this
  private int total; // guarded by this

  public StreamPermits(int perNode) {
    if (perNode < 1) {
      throw new IllegalArgumentException("perNode must be positive");
    }
    this.perNode = perNode;
  }

  /** A place for one more stream of this kind for this credential, unless a cap is reached. */
  public synchronized Outcome acquire(String kind, String credentialId, int perCredential) {
    if (total >= perNode) {
      return new Refused("node", perNode);
    }
    String key = kind + "\u0000" + credentialId;
    int held = open.getOrDefault(key, 0);
    if (held >= perCredential) {
      return new Refused("credential", perCredential);
    }
    open.put(key, held + 1);
    total++;
    return new Permit(key);
  }

  /** Streams open on this node, all kinds and credentials. */
  public synchronized int open() {
    return total;
  }

  /** Streams of one kind open for one credential. */
  public synchronized int open(String kind, String credentialId) {
    return open.getOrDefault(kind + "\u0000" + credentialId, 0);
  }

  private synchronized void release(String key) {
    int held = open.getOrDefault(key, 0);
    if (held <= 1) {
      open.remove(key);
    } else {
      open.put(key, held - 1);
    }
    total--;
  }
}
