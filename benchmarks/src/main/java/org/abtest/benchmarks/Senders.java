package org.abtest.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that post {@link EventBatch}es to the node until closed, unpaced or paced to a total rate
 * that can change while they run. Counts what the node answered: events accepted (202, so
 * acknowledged by Kafka), events rejected inside a 202, and batches shed with 503 (each then waits
 * a second, as a client honouring Retry-After would).
 */
final class Senders implements AutoCloseable {

  final AtomicLong accepted = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong shedBatches = new AtomicLong();
  private final AtomicLong[] batchesSent;
  private final int unitsPerSender;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicLong failures = new AtomicLong();
  private volatile long rate;
  private volatile boolean running = true;

  /**
   * Starts {@code senders} threads.
   *
   * @param rate events per second for all senders together; 0 sends as fast as answered
   */
  Senders(NodeApi api, String key, String salt, int senders, int unitsPerSender, long rate) {
    this.unitsPerSender = unitsPerSender;
    this.rate = rate;
    batchesSent = new AtomicLong[senders];
    for (int s = 0; s < senders; s++) {
      batchesSent[s] = new AtomicLong();
      int sender = s;
      EventBatch body = new EventBatch(key, salt, sender, unitsPerSender);
      Thread t = new Thread(() -> send(api, body, sender, senders), "sender-" + s);
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  /** Paces all senders to about this many events per second from now on; 0 unpaces them. */
  void rate(long eventsPerSecond) {
    rate = eventsPerSecond;
  }

  long batches() {
    long total = 0;
    for (AtomicLong sent : batchesSent) {
      total += sent.get();
    }
    return total;
  }

  /** The distinct units the batches so far have used, over all senders. */
  long unitsUsed() {
    long total = 0;
    for (AtomicLong sent : batchesSent) {
      total += EventBatch.unitsAfter(sent.get(), unitsPerSender);
    }
    return total;
  }

  private void send(NodeApi api, EventBatch body, int sender, int senders) {
    long paced = -1;
    long next = 0;
    while (running) {
      try {
        long r = rate;
        if (r != paced) {
          paced = r;
          next = System.nanoTime();
        }
        if (r > 0) {
          long wait = next - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          // This sender's batches start every interval, on a fixed schedule.
          next += senders * (long) EventBatch.SIZE * 1_000_000_000L / r;
        }
        NodeApi.EventsReply reply = api.postEvents(body.render(batchesSent[sender].get()));
        batchesSent[sender].incrementAndGet();
        if (reply.status() == 503) {
          shedBatches.incrementAndGet();
          Thread.sleep(1000);
        } else {
          accepted.addAndGet(reply.accepted());
          rejected.addAndGet(reply.rejected());
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // A dropped connection under load: counted, printed once in a while, and sent again.
        if (failures.incrementAndGet() % 100 == 1) {
          System.err.println("sender " + sender + ": " + e.getMessage());
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      for (Thread t : threads) {
        t.join(60_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
