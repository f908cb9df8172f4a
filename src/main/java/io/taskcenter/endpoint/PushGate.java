package io.taskcenter.endpoint;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.security.QuarkusHttpUser;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.security.ConnectionLimits;
import io.taskcenter.security.WorkerTokens;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Stands before {@value PushEndpoint#PATH}: answers a plain HTTP request with 400 instead of 404 (the path
 * exists, for WebSocket upgrades only), and refuses an upgrade, before any WebSocket exists, from a disallowed
 * origin (403), past a connection limit (429, 503). Every refusal is a JSON error.
 * Missing or invalid tokens never get here: Quarkus' HTTP security answers them with 401.
 */
@ApplicationScoped
public class PushGate {

    static final int BAD_REQUEST = 400;
    static final int FORBIDDEN = 403;
    static final int GATE_ORDER = -1;

    private final ConnectionLimits limits;
    private final WorkerTokens tokens;
    private final Optional<List<String>> allowedOrigins;

    PushGate(ConnectionLimits limits, WorkerTokens tokens, TaskCenterConfig config) {
        this.limits = limits;
        this.tokens = tokens;
        this.allowedOrigins = config.limits().allowedOrigins();
    }

    void register(@Observes Router router) {
        // Ahead of the WebSocket route (registered without an order, so at 0 and up), which would otherwise upgrade
        // before the limits are looked at; Quarkus' HTTP security filters, at negative orders below -1, still run
        // first, so the worker's identity is known here.
        router.route(PushEndpoint.PATH).order(GATE_ORDER).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        // The same test the WebSocket route makes before it upgrades.
        if (!ctx.request().headers().contains("Sec-WebSocket-Key")) {
            refuse(ctx, BAD_REQUEST, PushEndpoint.PATH + " only accepts WebSocket upgrade requests");
            return;
        }
        String origin = ctx.request().getHeader(HttpHeaders.ORIGIN);
        if (origin != null && allowedOrigins.isPresent() && !allowedOrigins.get().contains(origin)) {
            refuse(ctx, FORBIDDEN, "origin " + origin + " may not open worker connections");
            return;
        }
        String address = ctx.request().remoteAddress().hostAddress();
        ConnectionLimits.Refusal refusal = limits.admit(address, workerIdOf(ctx));
        if (refusal != null) {
            Log.warnf("Refused a worker connection from %s: %s", address, refusal.message());
            refuse(ctx, refusal.status(), refusal.message());
            return;
        }
        ctx.next();
    }

    /** The authenticated worker id, when tokens are required and this request carried a valid one. */
    private String workerIdOf(RoutingContext ctx) {
        if (!tokens.required() || !(ctx.user() instanceof QuarkusHttpUser user)) {
            return null;
        }
        SecurityIdentity identity = user.getSecurityIdentity();
        try {
            return tokens.grantOf(identity).workerId();
        } catch (IllegalArgumentException e) {
            // Told precisely once the socket is open; the limit just cannot count it against an id.
            return null;
        }
    }

    private static void refuse(RoutingContext ctx, int status, String message) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("status", status).put("message", message).encode());
    }
}
