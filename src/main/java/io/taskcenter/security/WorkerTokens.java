package io.taskcenter.security;

import java.util.LinkedHashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.SecurityIdentity;
import io.taskcenter.config.TaskCenterConfig;

/**
 * Reads a worker's {@link WorkerGrant} from the JWT it connected with. The claims are named in
 * {@code taskcenter.auth.*}; by default {@code sub} (the worker id), {@code taskTypes} and {@code maxCapacity}.
 */
@ApplicationScoped
public class WorkerTokens {

    private final TaskCenterConfig.Auth auth;
    private final int defaultMaxCapacity;

    WorkerTokens(TaskCenterConfig config) {
        this.auth = config.auth();
        this.defaultMaxCapacity = config.dispatch().maxCapacity();
    }

    public boolean required() {
        return auth.enabled();
    }

    /**
     * The grant of {@code identity}'s token, as {@link WorkerGrantAugmentor} read it once for this request.
     *
     * @throws IllegalArgumentException naming the claim, if the token does not say what a worker token must
     */
    public WorkerGrant grantOf(SecurityIdentity identity) {
        Object read = identity == null ? null : identity.getAttribute(WorkerGrantAugmentor.GRANT);
        if (read instanceof WorkerGrant grant) {
            return grant;
        }
        if (read instanceof String problem) {
            throw new IllegalArgumentException(problem);
        }
        return read(identity);
    }

    /** Reads the grant from the token's claims. */
    WorkerGrant read(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw new IllegalArgumentException("no worker token");
        }
        Object id = token.getClaim(auth.workerIdClaim());
        String workerId = id instanceof JsonString string ? string.getString() : id instanceof String text ? text : null;
        if (workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("the token has no '" + auth.workerIdClaim() + "' claim");
        }
        return new WorkerGrant(workerId, taskTypes(token.getClaim(auth.taskTypesClaim())),
                maxCapacity(token.getClaim(auth.maxCapacityClaim())));
    }

    private Set<Integer> taskTypes(Object claim) {
        if (claim == null) {
            throw new IllegalArgumentException("the token has no '" + auth.taskTypesClaim() + "' claim");
        }
        if (isAny(claim)) {
            return null;
        }
        if (!(claim instanceof JsonArray array)) {
            throw new IllegalArgumentException("'" + auth.taskTypesClaim() + "' must be an array of integers or \"any\"");
        }
        Set<Integer> types = new LinkedHashSet<>();
        for (JsonValue value : array) {
            if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
                throw new IllegalArgumentException("'" + auth.taskTypesClaim() + "' must hold integers only");
            }
            types.add(number.intValueExact());
        }
        return Set.copyOf(types);
    }

    private int maxCapacity(Object claim) {
        if (claim == null) {
            return defaultMaxCapacity;
        }
        if (claim instanceof JsonNumber number && number.isIntegral()) {
            return Math.min(number.intValueExact(), defaultMaxCapacity);
        }
        if (claim instanceof Number number) {
            return Math.min(number.intValue(), defaultMaxCapacity);
        }
        throw new IllegalArgumentException("'" + auth.maxCapacityClaim() + "' must be an integer");
    }

    private static boolean isAny(Object claim) {
        return (claim instanceof JsonString string && "any".equals(string.getString())) || "any".equals(claim);
    }
}
