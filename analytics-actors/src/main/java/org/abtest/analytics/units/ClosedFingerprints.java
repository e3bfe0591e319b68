package org.abtest.analytics.units;

import java.util.Arrays;

/**
 * A past bucket of the dedup window, compacted: its fingerprints grouped by their top bits
 * (counting sort, O(n)) in two {@code long[]} of exactly their number, with an {@code int[]} of
 * group starts a quarter to a half their number long: 17 to 18 bytes an id, and a lookup reads one
 * group of two to four fingerprints. Fingerprints are never (0, 0): the window maps that one away.
 */
final class ClosedFingerprints implements Fingerprints {

  private final long start;
  private final int shift;
  private final int[] groups; // groups[g]..groups[g + 1]: fingerprints whose top bits are g
  private final long[] hi;
  private final long[] lo;

  private ClosedFingerprints(long start, int shift, int[] groups, long[] hi, long[] lo) {
    this.start = start;
    this.shift = shift;
    this.groups = groups;
    this.hi = hi;
    this.lo = lo;
  }

  /**
   * Compacts the {@code count} fingerprints found in {@code hi}/{@code lo}, where (0, 0) entries
   * are empty places and skipped (an open table's arrays, or exact arrays from a snapshot).
   */
  static ClosedFingerprints of(long start, long[] hi, long[] lo, int count) {
    // 2^bits groups, between a quarter and a half of the count (at least one)
    int bits = Math.max(0, 30 - Integer.numberOfLeadingZeros(Math.max(1, count)));
    int shift = 64 - bits;
    int groupCount = 1 << bits;
    int[] groups = new int[groupCount + 1];
    for (int i = 0; i < hi.length; i++) {
      if (hi[i] != 0 || lo[i] != 0) {
        groups[group(hi[i], shift) + 1]++;
      }
    }
    for (int g = 0; g < groupCount; g++) {
      groups[g + 1] += groups[g];
    }
    int[] at = Arrays.copyOf(groups, groupCount);
    long[] hs = new long[groups[groupCount]];
    long[] ls = new long[hs.length];
    for (int i = 0; i < hi.length; i++) {
      if (hi[i] != 0 || lo[i] != 0) {
        int to = at[group(hi[i], shift)]++;
        hs[to] = hi[i];
        ls[to] = lo[i];
      }
    }
    return new ClosedFingerprints(start, shift, groups, hs, ls);
  }

  boolean contains(long h, long l) {
    int g = group(h, shift);
    for (int i = groups[g]; i < groups[g + 1]; i++) {
      if (hi[i] == h && lo[i] == l) {
        return true;
      }
    }
    return false;
  }

  @Override
  public long start() {
    return start;
  }

  @Override
  public int size() {
    return hi.length;
  }

  long bytes() {
    return 16L * hi.length + 4L * groups.length;
  }

  @Override
  public void forEach(Visitor visitor) {
    for (int i = 0; i < hi.length; i++) {
      visitor.fingerprint(hi[i], lo[i]);
    }
  }

  private static int group(long h, int shift) {
    return shift == 64 ? 0 : (int) (h >>> shift);
  }
}
