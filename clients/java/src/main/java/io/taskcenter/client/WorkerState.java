package io.taskcenter.client;

/** Where a {@link TaskCenterWorker} is; every change reaches {@link WorkerListener#stateChanged}. */
public enum WorkerState {
    /** Built, not started. */
    NEW,
    /** Opening the socket and saying hello. */
    CONNECTING,
    /** Welcomed: taking tasks. */
    ONLINE,
    /** Lost the connection, or could not open it; waits before the next try. */
    WAITING_TO_RECONNECT,
    /** {@link TaskCenterWorker#close} was called: takes no new tasks, finishes the ones it holds. */
    DRAINING,
    /** Closed by {@link TaskCenterWorker#close}. */
    CLOSED,
    /**
     * Stopped for good without being closed: the service refused the hello in a way a retry cannot change
     * (1007, 1008), another connection with the same id replaced this one (1000), or the endpoint does not speak
     * protocol v1 (1002). See the listener's
     * {@link WorkerListener#closed} for the code and reason.
     */
    STOPPED
}
