package org.abtest.node.webhooks;

import java.time.Instant;

/**
 * What a webhook receives, as JSON: {@code id} is unique per announcement (a receiver dedupes on
 * it: a delivery that timed out may have arrived and is sent again), {@code kind} one of {@link
 * org.abtest.http.ports.WebhookService#KINDS}.
 */
public record Announcement(
    String id,
    String kind,
    String experiment,
    String action,
    String status,
    String reason,
    String author,
    Instant at) {}
