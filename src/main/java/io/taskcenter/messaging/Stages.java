package io.taskcenter.messaging;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.smallrye.mutiny.Uni;

/**
 * Plain {@link CompletableFuture}s in place of the connector's and Mutiny's stages. With context propagation on the
 * classpath (Quarkus messaging brings it), the stages they hand out are contextual: every stage chained on one
 * captures the thread's context and restores it around its callback, a few map lookups and allocations each time.
 * Nothing on the settlement path needs a context, and a settlement chains three or four stages per task, so each
 * is made plain where it enters our code.
 */
final class Stages {

    static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private Stages() {
    }

    static CompletionStage<Void> plain(CompletionStage<Void> stage) {
        CompletableFuture<Void> plain = new CompletableFuture<>();
        stage.whenComplete((nothing, failure) -> complete(plain, failure));
        return plain;
    }

    static CompletionStage<Void> plain(Uni<Void> uni) {
        CompletableFuture<Void> plain = new CompletableFuture<>();
        uni.subscribe().with(nothing -> plain.complete(null), plain::completeExceptionally);
        return plain;
    }

    private static void complete(CompletableFuture<Void> plain, Throwable failure) {
        if (failure == null) {
            plain.complete(null);
        } else {
            plain.completeExceptionally(failure);
        }
    }
}
