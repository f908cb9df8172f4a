package io.taskcenter.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

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

    StatsResource(TaskStats stats, Dispatcher dispatcher, WorkerRegistry registry) {
        this.stats = stats;
        this.dispatcher = dispatcher;
        this.registry = registry;
    }

    @GET
    @Operation(summary = "Counts since start, and tasks in flight and waiting now")
    public StatsView stats() {
        Map<String, Long> deadLettered = new LinkedHashMap<>();
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLettered.put(reason.tag(), stats.deadLetteredCount(reason));
        }
        return new StatsView(stats.dispatchedCount(), stats.completedCount(), stats.failedCount(),
                stats.ackedCount(), stats.requeuedCount(), deadLettered, dispatcher.inFlight(), dispatcher.waiting(),
                registry.online().size());
    }
}
