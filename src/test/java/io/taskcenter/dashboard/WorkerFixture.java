package io.taskcenter.dashboard;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.taskcenter.dispatch.Assignment;
import io.taskcenter.dispatch.Closing;
import io.taskcenter.dispatch.Protocol;
import io.taskcenter.dispatch.Worker;
import io.taskcenter.dispatch.WorkerLink;
import io.taskcenter.task.TaskTypes;

/** A worker on a socket that goes nowhere, for views that only read who a worker is. */
final class WorkerFixture {

    private static final WorkerLink NOWHERE = new WorkerLink() {
        @Override
        public CompletionStage<Void> send(Assignment assignment) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void close(Closing why) {
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1:1";
        }
    };

    private WorkerFixture() {
    }

    static Worker worker(String id) {
        return new Worker(id, Protocol.V1, TaskTypes.of(Set.of(1)), 1, NOWHERE, Instant.EPOCH);
    }
}
