package org.abtest.deploy.demo;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.abtest.deploy.servers.NodeHttp;
import org.abtest.deploy.servers.StartupFailedException;

/**
 * {@code LocalCluster up --node --demo}: once the node is ready, the demo experiments are created
 * (or reused) and simulated traffic flows until the launcher stops, so the console has something
 * alive to show within a minute.
 */
public final class Demo {

  private final DemoTraffic traffic;
  private final Thread thread;

  private Demo(DemoTraffic traffic) {
    this.traffic = traffic;
    this.thread = new Thread(traffic, "demo-traffic");
    thread.setDaemon(true);
  }

  public static Demo start(URI node, Map<String, String> env) {
    String admin = env.get("ABTEST_ADMIN_TOKEN");
    String sdk = env.get("ABTEST_SDK_KEY");
    if (admin == null || admin.isBlank() || sdk == null || sdk.isBlank()) {
      throw new StartupFailedException(
          "--demo needs ABTEST_ADMIN_TOKEN and ABTEST_SDK_KEY in the environment");
    }
    NodeHttp http = new NodeHttp(node);
    List<DemoExperiments.Simulated> running;
    try {
      running = DemoExperiments.ensureRunning(http, admin);
    } catch (IOException e) {
      throw new StartupFailedException("demo: the node did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StartupFailedException("demo: interrupted", e);
    }
    if (running.isEmpty()) {
      throw new StartupFailedException("demo: no demo experiment could be run");
    }
    Demo demo = new Demo(new DemoTraffic(http, sdk, running));
    demo.thread.start();
    System.out.printf(
        "Demo: simulated traffic for %d experiments (~250 events/s). Open %s and sign in with"
            + " the admin token.%n",
        running.size(), node.resolve("/console"));
    return demo;
  }

  public void stop() {
    traffic.stop();
    thread.interrupt();
  }
}
