package io.taskcenter.api;

/**
 * The answer to {@code POST /api/dead-letters/replay}.
 *
 * @param replayed messages moved back to the tasks exchange
 * @param remaining messages still in the dead-letter queue
 */
public record ReplayResult(int replayed, long remaining) {
}
