package org.abtest.analytics.units;

/**
 * What one partition's unit state holds and costs, per structure, for the gauges and for the node's
 * unit-state budget. Bytes are those of the arrays and indexes as allocated (capacity, not just
 * size).
 */
public record StateUsage(
    long unitEntries,
    long unitBytes,
    long heldEvents,
    long heldBytes,
    long dedupIds,
    long dedupBytes,
    long covariateEntries,
    long covariateBytes,
    StateLimits limits,
    Refusals refusals) {

  /**
   * What a bound turned away, counted since the partition's state was created (not carried in
   * snapshots: a restarted partition counts afresh).
   *
   * @param exposures first exposures of new units refused at the unit-entry cap
   * @param heldEvicted held events pushed out by the total bound before their hold time ran out
   * @param heldRefused events not held because the event-type table was full
   * @param covariateFuture events dated past the future skew, not kept as history
   * @param covariateRefused events not kept as history at the entry cap
   */
  public record Refusals(
      long exposures,
      long heldEvicted,
      long heldRefused,
      long covariateFuture,
      long covariateRefused) {}

  public long totalBytes() {
    return unitBytes + heldBytes + dedupBytes + covariateBytes;
  }

  /**
   * The larger share of the partition's entry caps in use (1.0 = at a cap: new units or history are
   * refused, counted). Bytes are judged node-wide, against the unit-state budget.
   */
  public double capPressure() {
    double p = 0;
    if (limits.maxUnitEntries() > 0) {
      p = Math.max(p, (double) unitEntries / limits.maxUnitEntries());
    }
    if (limits.maxCovariateEntries() > 0) {
      p = Math.max(p, (double) covariateEntries / limits.maxCovariateEntries());
    }
    return p;
  }
}
