package org.abtest.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The end of a soak: throughput over the run, the heap's slope per minute (all minutes, and the
 * minutes after the unit population stopped growing), each structure's slope, and the bytes per
 * held event, per dedup id and per unit × experiment that the node's gauges give. Also written as
 * shell variables for deploy/load/soak.sh (the ratio to raw Kafka).
 */
final class SoakSummary {

  private SoakSummary() {}

  static void print(List<SoakMinute> rows, double max, long target, int units, Path csv, Path env)
      throws IOException {
    if (rows.isEmpty()) {
      return;
    }
    SoakMinute last = rows.get(rows.size() - 1);
    double mean = rows.stream().mapToDouble(SoakMinute::acceptedPerSecond).average().orElse(0);
    long shed = rows.stream().mapToLong(SoakMinute::shedBatches).sum();
    List<SoakMinute> flat = rows.stream().filter(r -> !r.unitsGrowing()).toList();
    System.out.printf(
        Locale.ROOT,
        "summary: max %.0f events/s, soak target %d, mean %.0f events/s over %d min; %d batches"
            + " shed (503); units %d of %d used%n",
        max,
        target,
        mean,
        rows.size(),
        shed,
        last.unitsUsed(),
        units);
    System.out.printf(
        Locale.ROOT,
        "heap after GC: %.1f → %.1f MB; slope %.2f MB/min over all minutes, %s over the %d"
            + " minutes after the units stopped growing%n",
        rows.get(0).heapMb(),
        last.heapMb(),
        slope(rows, SoakMinute::heapMb),
        flat.size() < 2
            ? "n/a"
            : String.format(Locale.ROOT, "%.2f MB/min", slope(flat, SoakMinute::heapMb)),
        flat.size());
    for (String s : new String[] {"units", "held", "dedup", "covariate"}) {
      System.out.printf(
          Locale.ROOT,
          "  %-9s %8.1f MB at the end, slope %.2f MB/min (%.2f after the units stopped growing)%n",
          s,
          last.bytes(s) / 1048576,
          slope(rows, r -> r.bytes(s) / 1048576),
          flat.size() < 2 ? Double.NaN : slope(flat, r -> r.bytes(s) / 1048576));
    }
    System.out.printf(
        Locale.ROOT,
        "bytes per held event %.1f, per dedup id %.1f, per unit × experiment %.1f (gauges, last"
            + " minute)%n",
        per(last, "held"),
        per(last, "dedup"),
        per(last, "units"));
    System.out.println("csv: " + csv);
    Files.writeString(
        env,
        String.format(
            Locale.ROOT,
            "SOAK_MAX_EVENTS_PER_S=%.0f%nSOAK_TARGET_EVENTS_PER_S=%d%nSOAK_MEAN_EVENTS_PER_S=%.0f%n",
            max,
            target,
            mean));
  }

  private static double per(SoakMinute m, String structure) {
    double n = m.entries(structure);
    return n == 0 ? Double.NaN : m.bytes(structure) / n;
  }

  private static double slope(List<SoakMinute> rows, ToDoubleFunction<SoakMinute> f) {
    return SoakStats.slope(rows.stream().mapToDouble(f).toArray());
  }
}
