package org.abtest.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The CPU time of the processes of one local cluster (node, Kafka, Cassandra: those whose command
 * line or working directory lies under its data directory) and of this load generator, from {@code
 * /proc}. Linux only.
 */
final class ProcessCpu {

  private final Map<String, Long> pids = new LinkedHashMap<>();
  private final long ticksPerSecond;

  ProcessCpu(Path dataDir, long ticksPerSecond) throws IOException {
    this.ticksPerSecond = ticksPerSecond;
    String dir = dataDir.toAbsolutePath().normalize().toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(p -> consider(p, dir));
    }
    pids.put("loadgen", ProcessHandle.current().pid());
    for (String role : new String[] {"node", "kafka", "cassandra"}) {
      if (!pids.containsKey(role)) {
        throw new IllegalStateException("no " + role + " process found under " + dir);
      }
    }
  }

  private void consider(Path proc, String dir) {
    try {
      String cmd =
          new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' ');
      String role = SoakReadings.role(cmd);
      if (role == null) {
        return;
      }
      String cwd = Files.readSymbolicLink(proc.resolve("cwd")).toString();
      if (cmd.contains(dir) || cwd.startsWith(dir)) {
        pids.put(role, Long.parseLong(proc.getFileName().toString()));
      }
    } catch (IOException | RuntimeException e) {
      // gone, or not ours to read
    }
  }

  Map<String, Long> pids() {
    return Map.copyOf(pids);
  }

  /** Microseconds of CPU each process has used so far, by role. */
  Map<String, Long> micros() {
    Map<String, Long> used = new LinkedHashMap<>();
    pids.forEach(
        (role, pid) -> {
          try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            used.put(role, SoakReadings.cpuTicks(stat) * 1_000_000L / ticksPerSecond);
          } catch (IOException e) {
            throw new IllegalStateException(role + " (pid " + pid + ") is gone", e);
          }
        });
    return used;
  }
}
