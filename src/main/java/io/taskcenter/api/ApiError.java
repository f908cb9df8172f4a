package io.taskcenter.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of every error the REST API returns.
 *
 * @param status the HTTP status, repeated for clients that only keep the body
 * @param message what went wrong, for a person
 * @param field the request field at fault, when there is one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Serialized by hand in the exception mappers' Response entities; registered so native images keep its accessors.
@RegisterForReflection
public record ApiError(int status, String message, String field) {

    static ApiError of(int status, String message) {
        return new ApiError(status, message, null);
    }
}
