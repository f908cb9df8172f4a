package io.taskcenter.dashboard;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.taskcenter.config.TaskCenterConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;

/**
 * {@code taskcenter.dashboard.enabled=false} turns the pages off entirely: the pages, their assets and the live
 * stream answer 404 (in the JSON form of every other error), ahead of the static files and the REST resources.
 */
@ApplicationScoped
class DashboardSwitch {

    static final String OFF = "{\"status\":404,\"message\":\"The dashboard is turned off (taskcenter.dashboard.enabled=false)\"}";
    /** What the dashboard serves: its pages, their scripts, styles and chart library, and the live stream. */
    static final List<String> PATHS = List.of("/", "/index.html", "/workers.html", "/dashboard/*", "/js/*",
            "/webjars/*", "/api/live");

    void turnOffIfDisabled(@Observes Router router, TaskCenterConfig config) {
        if (config.dashboard().enabled()) {
            return;
        }
        for (String path : PATHS) {
            router.route(path).order(Integer.MIN_VALUE).handler(context -> context.response().setStatusCode(404)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(OFF));
        }
    }
}
