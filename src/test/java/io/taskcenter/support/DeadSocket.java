package io.taskcenter.support;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import io.taskcenter.dispatch.Assignment;
import io.taskcenter.dispatch.Closing;
import io.taskcenter.dispatch.WorkerLink;

/**
 * A worker link that still looks open but fails every write, as a TCP connection does whose peer vanished
 * without a close frame. The seed acked before writing and lost every task sent to one of these.
 */
public final class DeadSocket implements WorkerLink {

    private final AtomicInteger writes = new AtomicInteger();
    private final String id;

    public DeadSocket(String id) {
        this.id = id;
    }

    @Override
    public CompletionStage<Void> send(Assignment assignment) {
        writes.incrementAndGet();
        return CompletableFuture.failedFuture(new IOException("Connection reset by peer"));
    }

    @Override
    public void close(Closing why) {
    }

    @Override
    public String remoteAddress() {
        return "dead socket " + id;
    }

    /** How many writes were attempted on this socket. */
    public int writes() {
        return writes.get();
    }
}
