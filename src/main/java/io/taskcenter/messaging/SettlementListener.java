package io.taskcenter.messaging;

/**
 * Hears of every settlement the broker has taken; metrics implement it.
 */
public interface SettlementListener {

    void acked();

    void requeued();

    void deadLettered(DeadLetterReason reason);
}
