package org.abtest.deploy.servers;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One JVM shutdown hook that runs exit actions one after another, last registered first.
 *
 * <p>Why not one hook per child: the JVM runs hooks concurrently and in no order, so the node could
 * lose Cassandra while it still flushes. Here the launcher registers "stop node, then Kafka, then
 * Cassandra" after the children, so it runs first; the per-child actions that follow find their
 * processes already gone. Nothing helps against SIGKILL of this JVM: then children are orphaned,
 * which is why the test supervisor watches Maven itself.
 */
public final class ExitHooks {

  private static final Deque<Runnable> ACTIONS = new ArrayDeque<>();
  private static boolean installed;

  private ExitHooks() {}

  public static synchronized void onExit(Runnable action) {
    if (!installed) {
      Runtime.getRuntime().addShutdownHook(new Thread(ExitHooks::runAll, "abtest-exit-hooks"));
      installed = true;
    }
    ACTIONS.push(action);
  }

  private static void runAll() {
    while (true) {
      Runnable next;
      synchronized (ExitHooks.class) {
        next = ACTIONS.poll();
      }
      if (next == null) {
        return;
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        // one failing stop must not leave the other children running
        e.printStackTrace();
      }
    }
  }
}
