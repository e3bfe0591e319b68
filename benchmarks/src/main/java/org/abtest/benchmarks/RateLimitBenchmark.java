package org.abtest.benchmarks;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.abtest.http.limits.EdgeLimits;
import org.abtest.http.limits.EdgeSettings;
import org.abtest.http.limits.RateLimiter;
import org.abtest.http.ports.Authenticator;
import org.abtest.http.ports.Authenticator.Principal;
import org.abtest.http.ports.Role;
import org.abtest.node.credentials.Sha256;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the rate limit adds to a request on the assignment fast path: one bucket check for a known
 * credential (a map lookup and a compare-and-set), alone and as the routes call it. Rates high
 * enough that every call is granted, as on a healthy node. {@code contended}: two threads on one
 * key, as a busy SDK key on a 2-core node.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class RateLimitBenchmark {

  private static final int HUGE = 1_000_000_000;

  private RateLimiter limiter;
  private EdgeLimits edge;
  private Principal key;

  @Setup
  public void setUp() {
    limiter = new RateLimiter(System::nanoTime, 2, 100_000);
    Authenticator none = token -> Optional.empty();
    edge =
        new EdgeLimits(EdgeSettings.unlimited(), none, new PrometheusRegistry(), System::nanoTime);
    key = new Principal("key_0123456789abcdef", "web", Role.SDK, "production", HUGE);
  }

  @Benchmark
  public long bucket() {
    return limiter.acquire("key_0123456789abcdef", HUGE);
  }

  @Benchmark
  public Object limitCredential() {
    return edge.limitCredential(key);
  }

  /** Baseline: the clock read each check makes, on the same machine at the same moment. */
  @Benchmark
  public long clockAlone() {
    return System.nanoTime();
  }

  /** Baseline: the SHA-256 of a token that identifying every request already costs. */
  @Benchmark
  public byte[] sha256OfAToken() {
    return Sha256.of("sdk_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  }

  @Benchmark
  @Threads(2)
  public long bucketContended() {
    return limiter.acquire("key_0123456789abcdef", HUGE);
  }
}
