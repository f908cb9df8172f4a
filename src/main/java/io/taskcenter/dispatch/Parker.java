package io.taskcenter.dispatch;

import io.taskcenter.task.Task;

/**
 * The waiting rooms, as the dispatcher sees them: where a task goes that no free slot here can take
 * ({@link Effect.Park}).
 */
public interface Parker {

    /**
     * Moves {@code task} to its waiting room, or gives it back; either way it reports to
     * {@link Dispatcher#parked} or {@link Dispatcher#parkRefused}, exactly once.
     */
    void park(TaskRef task, Task body);

    /** The service is shutting down: take nothing more from the rooms (what was taken settles as usual). */
    void stopTaking();
}
