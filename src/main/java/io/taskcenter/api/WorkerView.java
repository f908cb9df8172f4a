package io.taskcenter.api;

import java.time.Instant;

import io.taskcenter.dispatch.WorkerSnapshot;

/**
 * An online worker, as {@code GET /api/workers} lists it.
 *
 * @param id the worker id
 * @param protocol {@code seed} or {@code v1}
 * @param taskTypes the types it takes: {@code [1, 2]}, {@code any}, or {@code other than [1]}
 * @param capacity how many tasks it may hold at once
 * @param inFlight how many it holds now
 * @param connectedSince when its connection opened
 * @param remoteAddress where it connected from
 */
public record WorkerView(String id, String protocol, String taskTypes, int capacity, int inFlight,
        Instant connectedSince, String remoteAddress) {

    public static WorkerView of(WorkerSnapshot online) {
        return new WorkerView(online.worker().id(), online.worker().protocol().label(),
                online.worker().taskTypes().toString(), online.worker().capacity(), online.inFlight(),
                online.worker().connectedSince(), online.worker().link().remoteAddress());
    }
}
