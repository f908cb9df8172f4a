package io.taskcenter.api;

import java.util.List;

import io.taskcenter.broker.DeadLetter;

/**
 * A page of the dead-letter queue, as {@code GET /api/dead-letters} returns it.
 *
 * @param total messages in the dead-letter queue
 * @param offset position of the first item
 * @param limit the most items asked for
 * @param items the messages, oldest first
 */
public record DeadLetterPage(long total, int offset, int limit, List<DeadLetter> items) {
}
