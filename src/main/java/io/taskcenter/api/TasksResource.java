package io.taskcenter.api;

import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.taskcenter.broker.BrokerUnavailableException;
import io.taskcenter.broker.TaskPublisher;
import io.taskcenter.task.InvalidTaskException;
import io.taskcenter.task.Task;
import io.taskcenter.task.TaskParser;

@Path("/api/tasks")
@Tag(name = "Tasks")
public class TasksResource {

    static final int MAX_ROUTING_KEY = 255;

    private final TaskParser parser;
    private final TaskPublisher publisher;

    TasksResource(TaskParser parser, TaskPublisher publisher) {
        this.parser = parser;
        this.publisher = publisher;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue a task", description = "Publishes the body, as it is, to the tasks exchange, "
            + "with a new message_id that becomes the task id. Answers once RabbitMQ has confirmed it.")
    @RequestBody(description = "A task: {\"TaskName\":\"Demo\",\"TaskType\":1}; taskName/taskType also accepted, "
            + "other fields are passed on to v1 workers")
    @APIResponse(responseCode = "202", description = "Queued")
    @APIResponse(responseCode = "400", description = "Not a task; the error names the field")
    @APIResponse(responseCode = "503", description = "RabbitMQ unavailable; nothing was queued")
    public Response publish(String body, @QueryParam("routingKey") @DefaultValue("api") String routingKey)
            throws InvalidTaskException, BrokerUnavailableException {
        if (routingKey.isEmpty() || routingKey.length() > MAX_ROUTING_KEY) {
            throw new BadRequestException("routingKey", "routingKey must be 1 to " + MAX_ROUTING_KEY + " characters");
        }
        Task task = parser.parse(body.getBytes(StandardCharsets.UTF_8));
        String taskId = publisher.publish(body, routingKey);
        return Response.accepted(new TaskAccepted(taskId, task.name(), task.type())).build();
    }
}
