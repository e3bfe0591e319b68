package org.abtest.analytics.stats;

/**
 * @param nPerGroup units needed in each group, rounded up (as reported by the API)
 * @param nPerGroupExact the unrounded solution, e.g. 14750.79 for R's {@code power.prop.test}
 *     example
 * @param mde the minimum detectable effect for the given n (relative when the request was), {@code
 *     null} when no effect within range reaches the requested power
 */
public record PowerResult(Long nPerGroup, Double nPerGroupExact, Double mde) {}
