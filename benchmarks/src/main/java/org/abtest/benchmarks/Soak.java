package org.abtest.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The soak (issue 14, docs/benchmarks.md "Soak"): against a running local cluster, measures the
 * node's maximum accepted events/s unpaced, then sends at {@code fraction} of it for {@code
 * minutes} and prints one line a minute (also a CSV): accepted events/s, freshness p50/p99, heap
 * after GC, unit entries, unit-state bytes per structure, CPU µs per accepted event per process.
 * The units are a fixed population, so the unit count stops growing once every unit has been used;
 * the summary gives the heap's slope per minute after that and the bytes per held event, dedup id
 * and unit × experiment from the node's gauges.
 *
 * <p>{@code java -Dsoak.dataDir=<cluster data dir> -cp benchmarks/target/benchmarks.jar
 * org.abtest.benchmarks.Soak [minutes=30] [fraction=0.8] [units=2000000] [senders=4]
 * [warmup-seconds=60] [max-seconds=60]}, with ABTEST_HTTP_PORT, ABTEST_ADMIN_TOKEN and
 * ABTEST_SDK_KEY; deploy/load/soak.sh does all of it.
 */
public final class Soak {

  static final String[] ROLES = {"node", "kafka", "cassandra", "loadgen"};

  public static void main(String[] args) throws Exception {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    double fraction = args.length > 1 ? Double.parseDouble(args[1]) : 0.8;
    int units = args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000;
    int senderCount = args.length > 3 ? Integer.parseInt(args[3]) : 4;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 60;
    int maxSeconds = args.length > 5 ? Integer.parseInt(args[5]) : 60;
    Path dataDir = Path.of(System.getProperty("soak.dataDir", ".abtest-data"));
    Path out = Path.of(System.getProperty("soak.out", "benchmarks/target/soak"));
    Files.createDirectories(out);

    NodeApi api = NodeApi.fromEnvironment();
    String run = Long.toHexString(System.nanoTime());
    String key = "soak-" + run;
    String probeKey = "soak-probe-" + run;
    String salt = api.createStarted(key);
    Freshness freshness = new Freshness(api, probeKey, api.createStarted(probeKey));
    api.awaitManifest(List.of(key, probeKey));
    ProcessCpu cpu = new ProcessCpu(dataDir, Long.getLong("soak.clkTck", 100));
    System.out.printf(
        Locale.ROOT,
        "processes: %s; node CPU until now %.1f s%n",
        cpu.pids(),
        cpu.micros().get("node") / 1e6);

    Senders senders = new Senders(api, key, salt, senderCount, units / senderCount, 0);
    ConcurrentLinkedQueue<Long> lags = new ConcurrentLinkedQueue<>();
    Thread prober = new Thread(() -> probeEverySecond(freshness, lags), "prober");
    prober.setDaemon(true);
    prober.start();

    Thread.sleep(warmup * 1000L);
    Sample before = Sample.take(senders, cpu);
    Thread.sleep(maxSeconds * 1000L);
    Sample after = Sample.take(senders, cpu);
    double max = after.ratePerSecond(before);
    long target = Math.round(max * fraction);
    System.out.printf(
        Locale.ROOT,
        "max (unpaced, %d s after %d s of warm-up): %.0f events/s; cpu µs/event %s%n",
        maxSeconds,
        warmup,
        max,
        cpuPerEvent(after, before));
    System.out.printf(
        Locale.ROOT, "soak: %d min at %.2f × max = %d events/s%n", minutes, fraction, target);
    senders.rate(target);
    lags.clear();

    Path csv = out.resolve("soak-" + run + ".csv");
    Files.writeString(csv, SoakMinute.CSV_HEADER + "\n");
    List<SoakMinute> rows = new ArrayList<>();
    long start = System.nanoTime();
    Sample last = Sample.take(senders, cpu);
    for (int m = 1; m <= minutes; m++) {
      long wait = start + m * 60_000_000_000L - System.nanoTime();
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000);
      }
      Sample now = Sample.take(senders, cpu);
      List<Long> minuteLags = drain(lags);
      SoakMinute row = SoakMinute.of(m, api, now, last, minuteLags);
      rows.add(row);
      System.out.println(row.line());
      Files.writeString(csv, row.csv() + "\n", StandardOpenOption.APPEND);
      last = now;
    }
    senders.close();
    prober.interrupt();
    SoakSummary.print(rows, max, target, units, csv, out.resolve("summary.env"));
  }

  private static void probeEverySecond(Freshness freshness, ConcurrentLinkedQueue<Long> lags) {
    long failed = 0;
    while (!Thread.currentThread().isInterrupted()) {
      long started = System.nanoTime();
      try {
        lags.add(freshness.probe("soak"));
        long wait = 1000 - (System.nanoTime() - started) / 1_000_000;
        if (wait > 0) {
          Thread.sleep(wait);
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // a probe shed with 503 or a results request that timed out: counted, tried again
        if (failed++ % 20 == 0) {
          System.err.println("probe: " + e.getMessage());
        }
      }
    }
  }

  private static List<Long> drain(ConcurrentLinkedQueue<Long> queue) {
    List<Long> drained = new ArrayList<>();
    for (Long v = queue.poll(); v != null; v = queue.poll()) {
      drained.add(v);
    }
    return drained;
  }

  static String cpuPerEvent(Sample now, Sample before) {
    long events = now.accepted - before.accepted;
    StringBuilder b = new StringBuilder();
    for (String role : ROLES) {
      b.append(String.format(Locale.ROOT, "%s %.1f ", role, now.cpuPerEvent(before, role, events)));
    }
    return b.toString().trim();
  }

  /** Counters at one instant: what the senders got answered and each process's CPU. */
  record Sample(
      long nanos, long accepted, long shed, long rejected, long unitsUsed, Map<String, Long> cpu) {
    static Sample take(Senders s, ProcessCpu cpu) {
      return new Sample(
          System.nanoTime(),
          s.accepted.get(),
          s.shedBatches.get(),
          s.rejected.get(),
          s.unitsUsed(),
          cpu.micros());
    }

    double ratePerSecond(Sample before) {
      return (accepted - before.accepted) / ((nanos - before.nanos) / 1e9);
    }

    double cpuPerEvent(Sample before, String role, long events) {
      return events == 0 ? Double.NaN : (cpu.get(role) - before.cpu.get(role)) / (double) events;
    }
  }

  private Soak() {}
}
