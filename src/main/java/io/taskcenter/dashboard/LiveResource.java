package io.taskcenter.dashboard;

import java.time.Duration;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.taskcenter.config.TaskCenterConfig;

/** The dashboard's live feed: a server-sent event with the whole view on every tick, for as long as a page reads. */
@Path("/api/live")
@Tag(name = "Live")
public class LiveResource {

    private static final Duration FIRST = Duration.ofMillis(1);

    private final LiveViews views;
    private final Duration interval;

    LiveResource(LiveViews views, TaskCenterConfig config) {
        this.views = views;
        this.interval = config.dashboard().interval();
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "A live view of workers, counts, latency, queue depths and recent events, every tick",
            description = "Server-sent events, one JSON view per `taskcenter.dashboard.interval` (1 s), the first "
                    + "at once. Each view is complete; `events` holds what happened since the previous one.")
    public Multi<LiveView> live() {
        return Multi.createFrom().resource(views::open, cursor -> Multi.createFrom().ticks()
                        // The first view at once (ticks refuse a zero delay), then one per interval.
                        .startingAfter(FIRST).every(interval)
                        // A page that reads slowly gets the next view, not a backlog of old ones: one view is
                        // taken at a time, and ticks that come meanwhile are dropped.
                        .onOverflow().drop()
                        .onItem().transformToUniAndConcatenate(tick -> Uni.createFrom().item(() -> views.view(cursor))
                                // Off the ticker thread and off any event loop.
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())))
                .withFinalizer(views::close);
    }
}
