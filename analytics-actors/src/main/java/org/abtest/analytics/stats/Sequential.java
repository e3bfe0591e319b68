package org.abtest.analytics.stats;

/**
 * The always-valid inference asked of the engine: none, or the mSPRT with its mixing variance τ² on
 * the squared scale of the difference (see {@link Msprt}).
 *
 * @param tau2 the mSPRT's τ², &gt; 0; unused (0) without a sequential method
 */
public record Sequential(Method method, double tau2) {

  public enum Method {
    NONE,
    MSPRT
  }

  public static final Sequential NONE = new Sequential(Method.NONE, 0);

  public Sequential {
    Num.require(method != null, "sequential.method must be none or msprt");
    Num.require(
        method == Method.NONE || (tau2 > 0 && Double.isFinite(tau2)),
        "sequential.tau2 must be a number > 0 for msprt");
  }

  public static Sequential msprt(double tau2) {
    return new Sequential(Method.MSPRT, tau2);
  }
}
