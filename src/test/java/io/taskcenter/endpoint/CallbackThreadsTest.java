package io.taskcenter.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.websockets.next.OnBinaryMessage;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;

/**
 * websockets-next runs a callback that returns neither {@code Uni} nor {@code Multi} on a worker thread unless it is
 * {@link NonBlocking}. None of ours blocks, and a hop per pong and per close costs CPU at every heartbeat and
 * reconnect: each callback must run on the connection's event loop.
 */
class CallbackThreadsTest {

    private static final List<Class<? extends Annotation>> CALLBACKS = List.of(OnOpen.class, OnTextMessage.class,
            OnBinaryMessage.class, OnPongMessage.class, OnError.class, OnClose.class);

    @Test
    void everyCallbackOfThePushEndpointRunsOnTheEventLoop() {
        List<Method> callbacks = Arrays.stream(PushEndpoint.class.getDeclaredMethods())
                .filter(m -> CALLBACKS.stream().anyMatch(m::isAnnotationPresent))
                .toList();
        assertThat(callbacks).as("callbacks found").hasSizeGreaterThanOrEqualTo(CALLBACKS.size());
        assertThat(callbacks)
                .filteredOn(m -> m.getReturnType() != Uni.class && !m.isAnnotationPresent(NonBlocking.class))
                .as("callbacks that would run on a worker thread")
                .isEmpty();
    }
}
