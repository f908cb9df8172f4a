package io.taskcenter.support;

import java.net.URI;

/** Turns the HTTP URL Quarkus injects for a test into the WebSocket URL workers use. */
public final class Sockets {

    private Sockets() {
    }

    public static URI ws(URI http) {
        return URI.create(http.toString().replaceFirst("^http", "ws"));
    }
}
