package io.taskcenter.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.taskcenter.broker.BrokerUnavailableException;
import io.taskcenter.broker.QueueDepths;
import io.taskcenter.rooms.WaitingRooms;
import io.taskcenter.dispatch.Dispatcher;
import io.taskcenter.registry.WorkerRegistry;
import io.taskcenter.messaging.DeadLetterReason;
import io.taskcenter.stats.TaskStats;

@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Stats")
public class StatsResource {

    private final TaskStats stats;
    private final Dispatcher dispatcher;
    private final WorkerRegistry registry;
    private final QueueDepths depths;
    private final WaitingRooms rooms;

    StatsResource(TaskStats stats, Dispatcher dispatcher, WorkerRegistry registry, QueueDepths depths,
            WaitingRooms rooms) {
        this.rooms = rooms;
        this.stats = stats;
        this.dispatcher = dispatcher;
        this.registry = registry;
        this.depths = depths;
    }

    @GET
    @Operation(summary = "Counts since start; tasks in flight and waiting now; the queues' depths from RabbitMQ",
            description = "The counts come from this replica; `queues` from RabbitMQ (a passive declare per queue, "
                    + "which changes nothing). With RabbitMQ unavailable the counts are still given, `queues` is "
                    + "empty and `queuesError` says why.")
    public StatsView stats() {
        Map<String, Long> deadLettered = new LinkedHashMap<>();
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLettered.put(reason.tag(), stats.deadLetteredCount(reason));
        }
        List<QueueDepths.Depth> queues = List.of();
        String queuesError = null;
        try {
            queues = depths.read();
        } catch (BrokerUnavailableException e) {
            queuesError = e.getMessage();
        }
        return new StatsView(stats.dispatchedCount(), stats.completedCount(), stats.failedCount(),
                stats.ackedCount(), stats.requeuedCount(), deadLettered, dispatcher.inFlight(), dispatcher.waiting(),
                registry.online().size(), new StatsView.Rooms(rooms.enabled(), rooms.forwardedCount(),
                        rooms.takenCount(), rooms.returnedCount()), queues, queuesError);
    }
}
