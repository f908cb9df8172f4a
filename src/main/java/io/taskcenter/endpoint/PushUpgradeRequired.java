package io.taskcenter.endpoint;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Answers a plain HTTP request to {@value PushEndpoint#PATH} with 400 and a JSON error instead of 404:
 * the path exists, but only for WebSocket upgrades.
 */
@ApplicationScoped
public class PushUpgradeRequired {

    static final int BAD_REQUEST = 400;

    void register(@Observes Router router) {
        router.route(PushEndpoint.PATH).handler(ctx -> {
            // The same test the WebSocket route makes before it upgrades.
            if (ctx.request().headers().contains("Sec-WebSocket-Key")) {
                ctx.next();
                return;
            }
            ctx.response()
                    .setStatusCode(BAD_REQUEST)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(new JsonObject()
                            .put("status", BAD_REQUEST)
                            .put("message", PushEndpoint.PATH + " only accepts WebSocket upgrade requests")
                            .encode());
        });
    }
}
