package org.abtest.analytics.aggregate;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Turns a raw unit id into a 64-bit keyed hash, so that raw ids never reach aggregator state or its
 * snapshots. The key is a deployment secret; without it the hashes cannot be matched to ids.
 */
public final class UnitHasher {

  private final byte[] key;

  public UnitHasher(String key) {
    this.key = (key + "\u0000").getBytes(StandardCharsets.UTF_8);
  }

  public long hash(String unit) {
    byte[] id = unit.getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[key.length + id.length];
    System.arraycopy(key, 0, all, 0, key.length);
    System.arraycopy(id, 0, all, key.length, id.length);
    return MurmurHash3.hash128x64(all, 0, all.length, 0)[0];
  }
}
