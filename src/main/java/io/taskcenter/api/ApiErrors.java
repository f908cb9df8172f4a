package io.taskcenter.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.taskcenter.broker.BrokerUnavailableException;
import io.taskcenter.task.InvalidTaskException;

/**
 * Turns every failure of the REST API into an {@link ApiError} with the right status, never a stack trace.
 */
class ApiErrors {

    @ServerExceptionMapper
    Response invalidTask(InvalidTaskException e) {
        return json(new ApiError(400, e.getMessage(), e.field().orElse(null)));
    }

    @ServerExceptionMapper
    Response badRequest(BadRequestException e) {
        return json(new ApiError(400, e.getMessage(), e.field()));
    }

    @ServerExceptionMapper
    Response unreadable(JsonProcessingException e) {
        return json(ApiError.of(400, "the body is not valid JSON: " + e.getOriginalMessage()));
    }

    /** No token, or one that does not verify (the HTTP security layer raises these before the resource). */
    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    Response unauthorized(RuntimeException e) {
        return Response.fromResponse(json(ApiError.of(401, "a valid bearer token is required")))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    Response forbidden(ForbiddenException e) {
        return json(ApiError.of(403, "this call needs the operator role"));
    }

    @ServerExceptionMapper
    Response brokerUnavailable(BrokerUnavailableException e) {
        Log.warnf("REST request failed, RabbitMQ unavailable: %s", e.getMessage());
        return Response.fromResponse(json(ApiError.of(503, e.getMessage()))).header("Retry-After", "5").build();
    }

    /** 404, 405, 415 and the like, which Quarkus REST raises before any resource runs. */
    @ServerExceptionMapper
    Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return json(ApiError.of(status, e.getMessage() != null ? e.getMessage()
                : Response.Status.fromStatusCode(status).getReasonPhrase()));
    }

    @ServerExceptionMapper
    Response unexpected(RuntimeException e) {
        Log.error("REST request failed", e);
        return json(ApiError.of(500, "internal error; the service log has the details"));
    }

    private static Response json(ApiError error) {
        return Response.status(error.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(error).build();
    }
}
