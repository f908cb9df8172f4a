package io.taskcenter.api;

import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.taskcenter.broker.BrokerUnavailableException;
import io.taskcenter.broker.DeadLetterQueue;

@Path("/api/dead-letters")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Dead letters")
public class DeadLettersResource {

    static final int MAX_LIMIT = 100;
    static final int MAX_OFFSET = 10_000;

    private final DeadLetterQueue deadLetters;

    DeadLettersResource(DeadLetterQueue deadLetters) {
        this.deadLetters = deadLetters;
    }

    @GET
    @Operation(summary = "Look at dead-lettered tasks, oldest first, without removing any")
    @APIResponse(responseCode = "200", description = "A page of the dead-letter queue")
    @APIResponse(responseCode = "400", description = "offset or limit out of range")
    @APIResponse(responseCode = "503", description = "RabbitMQ unavailable")
    public DeadLetterPage peek(@QueryParam("offset") @DefaultValue("0") int offset,
            @QueryParam("limit") @DefaultValue("20") int limit) throws BrokerUnavailableException {
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new BadRequestException("offset", "offset must be between 0 and " + MAX_OFFSET);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return new DeadLetterPage(deadLetters.size(), offset, limit, deadLetters.peek(offset, limit));
    }

    @POST
    @Path("/replay")
    @Operation(summary = "Move dead-lettered tasks back to the tasks exchange",
            description = "All of them (those present when the call starts), or the oldest `count`. Each is "
                    + "published with a confirm before it leaves the dead-letter queue, so a failure midway loses "
                    + "nothing.")
    @APIResponse(responseCode = "200", description = "How many moved and how many remain")
    @APIResponse(responseCode = "400", description = "count out of range")
    @APIResponse(responseCode = "503", description = "RabbitMQ unavailable; what moved before it failed stays moved")
    public ReplayResult replay(@QueryParam("count") Integer count) throws BrokerUnavailableException {
        if (count != null && count < 1) {
            throw new BadRequestException("count", "count must be at least 1, or absent for all");
        }
        int replayed = deadLetters.replay(count);
        return new ReplayResult(replayed, deadLetters.size());
    }
}
