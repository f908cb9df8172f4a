package io.taskcenter.api;

import java.util.List;
import java.util.Map;

import io.taskcenter.broker.QueueDepths;

/**
 * Counts since the service started, and the numbers of right now, as {@code GET /api/stats} returns them.
 *
 * @param dispatched tasks written to a worker's socket
 * @param completed tasks v1 workers reported done
 * @param failed tasks v1 workers reported failed
 * @param acked task messages acked to RabbitMQ
 * @param requeued task messages returned to the queue
 * @param deadLettered task messages dead-lettered, by reason
 * @param inFlight tasks held by workers now
 * @param waiting tasks waiting for a worker now
 * @param workersOnline workers connected now
 * @param rooms tasks this replica moved to waiting rooms, took from them for free slots, and moved back to the
 *        task queue because no eligible worker was online anywhere
 * @param queues the ready messages and consumers of the task queue, the waiting rooms and the dead-letter queue, as RabbitMQ counts them
 *        now; empty when RabbitMQ could not be asked
 * @param queuesError why RabbitMQ could not be asked, or null
 */
public record StatsView(long dispatched, long completed, long failed, long acked, long requeued,
        Map<String, Long> deadLettered, int inFlight, int waiting, int workersOnline, Rooms rooms,
        List<QueueDepths.Depth> queues, String queuesError) {

    /** What this replica did with waiting rooms since it started; all 0 with {@code taskcenter.rooms.enabled=false}. */
    public record Rooms(boolean enabled, long forwarded, long taken, long returned) {
    }
}
