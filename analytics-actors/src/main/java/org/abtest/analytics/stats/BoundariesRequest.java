package org.abtest.analytics.stats;

/**
 * The body of {@code POST /v1/analysis/boundaries}.
 *
 * @param spending {@code obf} (default) or {@code pocock}
 * @param looks number of equally spaced planned looks, 1 to {@value Boundaries#MAX_LOOKS}
 * @param alpha overall two-sided level, default 0.05
 */
public record BoundariesRequest(String spending, Integer looks, Double alpha) {}
