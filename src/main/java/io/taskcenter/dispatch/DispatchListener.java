package io.taskcenter.dispatch;

/**
 * Observes what the dispatcher does (metrics, a live view), outside its lock. A listener that throws is logged
 * and does not stop the others, nor dispatch.
 */
public interface DispatchListener {

    void on(Effect.Event event);
}
