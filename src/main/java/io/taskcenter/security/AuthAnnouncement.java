package io.taskcenter.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.taskcenter.config.TaskCenterConfig;

/**
 * Says at startup whether workers and API callers must authenticate, so nobody runs an open service unawares.
 */
@ApplicationScoped
class AuthAnnouncement {

    void announce(@Observes StartupEvent started, TaskCenterConfig config) {
        if (config.auth().enabled()) {
            Log.infof("Authentication is on: /push needs a worker JWT, POST /api/* the '%s' role",
                    config.auth().adminRole());
        } else {
            Log.warn("Authentication is OFF (taskcenter.auth.enabled=false): any client may connect as any "
                    + "configured worker id and use the whole API. Fine for dev and tests, never for production.");
        }
    }
}
