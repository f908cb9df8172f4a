package io.taskcenter.dashboard;

import java.time.Instant;
import java.util.List;

import io.taskcenter.api.WorkerView;
import io.taskcenter.broker.QueueDepths;

/**
 * What an open dashboard is sent on each tick of {@code /api/live}: the whole picture, so a page that missed a
 * tick, or just connected, is complete with the next one. Rates per second are the page's to derive from the
 * totals.
 *
 * @param at when the view was taken
 * @param totals counts since the service started
 * @param inFlight tasks held by workers of this replica now
 * @param waiting tasks this replica holds for a worker now
 * @param workers the workers online on this replica, by id
 * @param latency percentiles over the last minute
 * @param backlog the queues' depths, from RabbitMQ
 * @param events what happened since this page's previous view (the newest {@value LiveViews#MAX_EVENTS} at most)
 */
public record LiveView(Instant at, Totals totals, int inFlight, int waiting, List<WorkerView> workers,
        Latency latency, Backlog backlog, List<RecentEvents.Event> events) {

    public record Totals(long dispatched, long completed, long failed, long acked, long requeued, long deadLettered) {
    }

    /** Milliseconds: from receipt to written to a worker, and from written to a v1 worker's done. */
    public record Latency(Percentiles handover, Percentiles completion) {
    }

    /** @param error why RabbitMQ could not be asked, when it could not (then {@code queues} is empty) */
    public record Backlog(List<QueueDepths.Depth> queues, String error) {
    }
}
