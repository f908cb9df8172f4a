package io.taskcenter.messaging;

import java.util.concurrent.CompletionStage;

import jakarta.inject.Singleton;

import io.quarkus.logging.Log;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.dispatch.Settler;
import io.taskcenter.dispatch.TaskRef;
import io.taskcenter.dispatch.Verdict;

/**
 * Turns the core's verdicts into ack, retry ({@link Retries}), requeue or dead letter, and owns the two rules
 * that decide between them: {@code taskcenter.dispatch.max-attempts} for attempts that ended badly, and the seed's "requeue once,
 * dead-letter on redelivery" for tasks no worker took. Replies go out before the settlement, so that a producer
 * waiting on one hears of the outcome even if the service stops right after.
 */
@Singleton
public class Settlements implements Settler {

    private final ReplyPublisher replies;
    private final DeadLetters deadLetters;
    private final Retries retries;
    private final int maxAttempts;

    Settlements(ReplyPublisher replies, DeadLetters deadLetters, Retries retries, TaskCenterConfig config) {
        this.replies = replies;
        this.deadLetters = deadLetters;
        this.retries = retries;
        this.maxAttempts = config.dispatch().maxAttempts();
    }

    @Override
    public CompletionStage<Void> settle(TaskRef task, Verdict verdict) {
        Delivery delivery = (Delivery) task;
        return logged(decide(delivery, verdict), delivery, verdict);
    }

    private CompletionStage<Void> decide(Delivery delivery, Verdict verdict) {
        if (verdict instanceof Verdict.HandedOver) {
            return delivery.ack();
        }
        if (verdict instanceof Verdict.Done done) {
            Log.debugf("[%s] done by worker %s", delivery, done.workerId());
            return replies.done(delivery, done.result()).thenCompose(replied -> delivery.ack());
        }
        if (verdict instanceof Verdict.Failed failed) {
            return failed(delivery, failed);
        }
        if (verdict instanceof Verdict.Lost lost) {
            String why = attempts(delivery) + ": " + lost.why();
            return delivery.attempt() >= maxAttempts
                    ? deadLetters.deadLetter(delivery,
                            new DeadLetters.Details(DeadLetterReason.ATTEMPTS_EXHAUSTED, lost.why(), lost.workerId()), why)
                    : retries.retry(delivery, why);
        }
        if (verdict instanceof Verdict.Unserved unserved) {
            return delivery.redelivered()
                    ? delivery.deadLetter(DeadLetterReason.NO_WORKER, "redelivered and " + unserved.why())
                    : delivery.requeue("first delivery and " + unserved.why());
        }
        return delivery.requeue(((Verdict.Returned) verdict).why());
    }

    /** Another attempt if the worker says it makes sense and one is left; else a reply, then the dead letter. */
    private CompletionStage<Void> failed(Delivery delivery, Verdict.Failed failed) {
        String why = attempts(delivery) + " failed, worker " + failed.workerId() + " reported: " + failed.error();
        if (failed.retry() && delivery.attempt() < maxAttempts) {
            return retries.retry(delivery, why);
        }
        DeadLetterReason reason = failed.retry() ? DeadLetterReason.ATTEMPTS_EXHAUSTED : DeadLetterReason.FAILED;
        return replies.failed(delivery, failed.error())
                .thenCompose(replied -> deadLetters.deadLetter(delivery,
                        new DeadLetters.Details(reason, failed.error(), failed.workerId()), why));
    }

    /** The message is not a task: it is dead-lettered at once, saying what is wrong with it. */
    public CompletionStage<Void> invalid(Delivery delivery, String problem) {
        return logged(deadLetters.deadLetter(delivery,
                new DeadLetters.Details(DeadLetterReason.INVALID_TASK, problem, null), problem), delivery, "invalid task");
    }

    /** A settlement that never fails: one the broker connection dropped under is requeued by the broker itself. */
    private static CompletionStage<Void> logged(CompletionStage<Void> settlement, Delivery delivery, Object what) {
        return settlement.exceptionally(failure -> {
            Log.warnf("[%s] settlement for %s not made: %s", delivery, what, failure.toString());
            return null;
        });
    }

    private String attempts(Delivery delivery) {
        return "attempt " + delivery.attempt() + " of " + maxAttempts;
    }
}
