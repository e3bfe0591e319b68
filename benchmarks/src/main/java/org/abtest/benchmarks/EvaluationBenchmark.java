package org.abtest.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Local evaluation of 1 and of 50 experiments for one user, per call, side by side: ours and three
 * established SDKs on equivalent rules. The sanity check runs in setup, before measuring.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class EvaluationBenchmark {

  @Param({"1", "50"})
  public int experiments;

  @Param({"abtest", "abtest-unshared", "optimizely", "launchdarkly", "unleash"})
  public String sdk;

  private Implementation impl;
  private Scenario.User[] users;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    var specs = Scenario.specs(experiments);
    impl = SanityCheck.create(sdk, specs);
    SanityCheck.verify(impl, SanityCheck.shares(new OurSdk(specs)));
    users = new Scenario.User[4096];
    for (int i = 0; i < users.length; i++) {
      users[i] = Scenario.User.of(i);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    impl.close();
  }

  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  /** One user, all experiments; the SDK's attribute object is built inside, per call. */
  @Benchmark
  public int evaluateAllForOneUser(Cursor cursor) {
    return impl.evaluateAll(users[cursor.next++ & 4095]);
  }
}
