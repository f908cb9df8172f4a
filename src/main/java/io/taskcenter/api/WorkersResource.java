package io.taskcenter.api;

import java.util.Comparator;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.taskcenter.registry.WorkerRegistry;

@Path("/api/workers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Workers")
public class WorkersResource {

    private final WorkerRegistry registry;
    WorkersResource(WorkerRegistry registry) {
        this.registry = registry;
    }

    @GET
    @Operation(summary = "The workers online now, by id")
    public List<WorkerView> online() {
        return registry.online().stream()
                .map(WorkerView::of)
                .sorted(Comparator.comparing(WorkerView::id))
                .toList();
    }
}
