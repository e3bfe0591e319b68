package org.abtest.deploy.servers;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Polls until a child is ready, and fails fast when it dies: a crashed Cassandra otherwise shows up
 * only as a two-minute timeout with no hint why.
 */
final class Readiness {

  private static final Duration POLL = Duration.ofMillis(200);
  private static final int TAIL_LINES = 40;

  private Readiness() {}

  static void await(JvmProcess process, Duration timeout, BooleanSupplier ready, List<Path> logs) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (ready.getAsBoolean()) {
        return;
      }
      if (!process.isAlive()) {
        throw new StartupFailedException(
            process.name()
                + " (pid "
                + process.pid()
                + ") exited with code "
                + process.exitCode().orElse(-1)
                + " before it was ready.\n"
                + tails(logs));
      }
      if (System.nanoTime() > deadline) {
        throw new StartupFailedException(
            process.name() + " was not ready after " + timeout.toSeconds() + " s.\n" + tails(logs));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StartupFailedException("interrupted while waiting for " + process.name(), e);
      }
    }
  }

  static String tails(List<Path> logs) {
    StringBuilder text = new StringBuilder();
    for (Path log : logs) {
      text.append(LogFile.tail(log, TAIL_LINES)).append('\n');
    }
    return text.toString();
  }
}
