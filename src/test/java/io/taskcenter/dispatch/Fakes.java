package io.taskcenter.dispatch;

import java.util.concurrent.CompletionStage;

/** Stand-ins for what the core only passes around: task messages and worker links. */
final class Fakes {

    private Fakes() {
    }

    static final class FakeTask implements TaskRef {

        private final String taskId;
        private final int attempt;
        boolean stale;
        private boolean fromRoom;

        FakeTask(String taskId, int attempt) {
            this.taskId = taskId;
            this.attempt = attempt;
        }

        @Override
        public String taskId() {
            return taskId;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public boolean isStale() {
            return stale;
        }

        @Override
        public boolean fromRoom() {
            return fromRoom;
        }

        /** This task, as one taken from a waiting room. */
        FakeTask takenFromRoom() {
            fromRoom = true;
            return this;
        }
    }

    /** The core never calls its links; the shell does. */
    static final class FakeLink implements WorkerLink {

        @Override
        public CompletionStage<Void> send(Assignment assignment) {
            throw new AssertionError("the core must not write");
        }

        @Override
        public void close(Closing why) {
            throw new AssertionError("the core must not close");
        }

        @Override
        public String remoteAddress() {
            return "test";
        }
    }
}
