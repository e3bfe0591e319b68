package org.abtest.deploy.demo;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.abtest.deploy.servers.NodeHttp;

/**
 * Simulated users for the demo: every 200 ms a batch of new units, each exposed to one demo
 * experiment and converting at its variant's rate, sent to {@code POST /v1/events} with the SDK key
 * (a few hundred events per second) until stopped.
 */
final class DemoTraffic implements Runnable {

  private static final int UNITS_PER_BATCH = 40;
  private static final long PERIOD_MS = 200;

  private final NodeHttp http;
  private final String sdkKey;
  private final List<DemoExperiments.Simulated> experiments;
  private final Random random = new Random();

  /** Unit and event ids unique to this run, so a restart adds users instead of repeating them. */
  private final String run = Long.toString(System.currentTimeMillis(), 36);

  private volatile boolean stopped;
  private long units;

  DemoTraffic(NodeHttp http, String sdkKey, List<DemoExperiments.Simulated> experiments) {
    this.http = http;
    this.sdkKey = sdkKey;
    this.experiments = experiments;
  }

  void stop() {
    stopped = true;
  }

  @Override
  public void run() {
    boolean failing = false;
    while (!stopped) {
      long start = System.currentTimeMillis();
      try {
        NodeHttp.Reply reply = http.send("POST", "/v1/events", sdkKey, batch());
        if (reply.status() != 202 && !failing) {
          System.err.printf("Demo: events answered %d %s%n", reply.status(), reply.body());
        }
        failing = reply.status() != 202;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (IOException e) {
        if (!failing && !stopped) {
          System.err.println("Demo: cannot send events: " + e.getMessage());
        }
        failing = true;
      }
      try {
        Thread.sleep(Math.max(0, PERIOD_MS - (System.currentTimeMillis() - start)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private String batch() {
    StringBuilder json = new StringBuilder("{\"events\": [");
    Instant at = Instant.now();
    String now = at.toString();
    // a conversion follows its exposure: only events after the first exposure count
    String later = at.plusSeconds(1).toString();
    for (int i = 0; i < UNITS_PER_BATCH; i++) {
      DemoExperiments.Simulated s = experiments.get(random.nextInt(experiments.size()));
      long n = units++;
      String unit = "demo-" + run + "-" + n;
      int variant = random.nextDouble() < s.trafficShare() ? 0 : 1;
      if (i > 0) {
        json.append(',');
      }
      json.append(
          String.format(
              Locale.ROOT,
              "{\"eventId\": \"%s-x\", \"type\": \"exposure\", \"unit\": \"%s\","
                  + " \"experiment\": \"%s\", \"variant\": \"%s\", \"ts\": \"%s\"}",
              unit,
              unit,
              s.key(),
              s.variants()[variant],
              now));
      if (random.nextDouble() < s.conversion()[variant]) {
        double value = Math.max(1, s.meanValue() * (0.5 + random.nextDouble()));
        json.append(
            String.format(
                Locale.ROOT,
                ",{\"eventId\": \"%s-m\", \"type\": \"metric\", \"unit\": \"%s\","
                    + " \"event\": \"%s\", \"value\": %.2f, \"ts\": \"%s\"}",
                unit,
                unit,
                s.event(),
                value,
                later));
      }
    }
    return json.append("]}").toString();
  }
}
