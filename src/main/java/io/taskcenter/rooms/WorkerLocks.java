package io.taskcenter.rooms;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

import io.quarkus.logging.Log;
import io.taskcenter.broker.ChannelRefusal;
import io.taskcenter.broker.RoomNames;
import io.taskcenter.dispatch.Closing;
import io.taskcenter.dispatch.Worker;

/**
 * One connection per worker id over all replicas, the newest. The replica a worker id is online on owns an exclusive
 * queue named after it ({@link RoomNames#workerLock}); a replica where the same id connects again finds the queue
 * locked and sends the owner a message through it, asking it to let go, with the time its own connection was
 * admitted. An owner whose connection is older closes it (as replaced) and deletes the queue, and the asker takes the
 * lock. An owner whose connection is newer keeps it and answers "stay" (RabbitMQ's direct reply-to), and the asker
 * closes its own: a replica can take the lock late (its thread busy, its link reconnecting), after a newer connection
 * on another replica took it. Admission times come from each replica's clock, so two connections closer together than
 * the clocks' skew may be ordered either way. Within one replica the dispatch core replaces connections itself. A
 * replica that dies loses its locks with its connection. Called on the rooms' thread only.
 */
final class WorkerLocks {

    /** How often, and how long, a replica tries to take a lock the owner was asked to give up. */
    static final Duration RETRY = Duration.ofMillis(100);
    static final Duration GIVE_UP = Duration.ofSeconds(10);
    private static final String LET_GO = "let-go";
    private static final String STAY = "stay";
    /** When the asking connection was admitted, in microseconds since the epoch. */
    private static final String ADMITTED = "admitted-us";
    private static final String DIRECT_REPLY = "amq.rabbitmq.reply-to";

    private final RoomLink link;
    private final RoomNames names;
    /** The worker here that holds each id's lock, or waits for it. */
    private final Map<String, Worker> holders = new HashMap<>();
    /** The consumer tag listening on each held lock. */
    private final Map<String, String> listening = new HashMap<>();
    /** Whether this link's channel consumes the answers to its let-go requests. */
    private boolean answered;

    WorkerLocks(RoomLink link, RoomNames names) {
        this.link = link;
        this.names = names;
    }

    /** A worker came online here: take its id's lock, asking another replica to let go if it has it. */
    void joined(Worker worker) {
        holders.put(worker.id(), worker);
        if (link.isUp() && !listening.containsKey(worker.id())) {
            acquire(worker, System.nanoTime() + GIVE_UP.toNanos(), true);
        }
    }

    private enum Attempt {
        TAKEN,
        LOCKED,
        FAILED
    }

    /** A worker left: its lock goes, unless a newer connection with its id holds it now. */
    void left(Worker worker) {
        if (holders.remove(worker.id(), worker)) {
            release(worker.id());
        }
    }

    /**
     * The link is back: the locks went with the old connection; takes them again. The broker may not have noticed
     * the old connection's end yet (a half-open one lasts up to two heartbeats), so a lock still held is waited
     * for without a deadline; a worker here is closed for it only when another replica answers that it has a newer
     * connection with that id.
     */
    void relock() {
        listening.clear();
        answered = listenForAnswers();
        for (Worker worker : List.copyOf(holders.values())) {
            acquire(worker, Long.MAX_VALUE, true);
        }
    }

    /** The link is down: every lock went with its connection. */
    void lost() {
        listening.clear();
        answered = false;
    }

    private void acquire(Worker worker, long deadline, boolean askOwner) {
        if (holders.get(worker.id()) != worker || !link.isUp()) {
            return;
        }
        String queue = names.workerLock(worker.id());
        Attempt attempt = declareExclusive(queue);
        if (attempt == Attempt.TAKEN) {
            listen(worker.id(), queue);
            return;
        }
        if (attempt == Attempt.LOCKED && askOwner) {
            Log.infof("[%s] online on another replica too: asking it to let go", worker);
            askToLetGo(worker, queue);
        }
        if (attempt == Attempt.LOCKED && deadline != Long.MAX_VALUE && System.nanoTime() - deadline > 0) {
            Log.warnf("[%s] the replica holding its id did not let go within %d s: closing this connection instead",
                    worker, GIVE_UP.toSeconds());
            closeAsReplaced(worker);
            return;
        }
        // Asks once, on the first attempt that finds the lock held (not on one that failed for another cause).
        boolean stillToAsk = askOwner && attempt != Attempt.LOCKED;
        link.schedule(() -> acquire(worker, deadline, stillToAsk), RETRY);
    }

    /** Declares the lock on a channel of its own: a refusal (405, locked) closes that channel, and only that one. */
    private Attempt declareExclusive(String queue) {
        try {
            Channel channel = link.openChannel();
            try {
                channel.queueDeclare(queue, false, true, true, Map.of());
                return Attempt.TAKEN;
            } finally {
                if (channel.isOpen()) {
                    channel.close();
                }
            }
        } catch (IOException e) {
            if (ChannelRefusal.is(e, AMQP.RESOURCE_LOCKED)) {
                return Attempt.LOCKED;
            }
            // Not a refusal: tried again, and the worker is not closed for it.
            Log.warnf("Worker lock %s not declared: %s", queue, e.toString());
            return Attempt.FAILED;
        } catch (TimeoutException | RuntimeException e) {
            Log.warnf("Worker lock %s not declared: %s", queue, e.toString());
            return Attempt.FAILED;
        }
    }

    /**
     * Sends the owner of {@code queue} the let-go request, on the channel that consumes the answers (direct reply-to
     * asks for that); without that consumer, the request goes without a reply address, and the owner lets go or not.
     */
    private void askToLetGo(Worker worker, String queue) {
        AMQP.BasicProperties.Builder request = new AMQP.BasicProperties.Builder().type(LET_GO)
                .headers(Map.of(ADMITTED, micros(worker.connectedSince())));
        if (answered) {
            request.replyTo(DIRECT_REPLY);
        }
        try {
            link.take().basicPublish("", queue, request.build(), new byte[0]);
        } catch (IOException e) {
            Log.warnf("[%s] let-go request not sent: %s", worker, e.toString());
        }
    }

    private boolean listenForAnswers() {
        try {
            Channel channel = link.take();
            channel.basicConsume(DIRECT_REPLY, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) {
                    Long admitted = admitted(properties);
                    if (STAY.equals(properties.getType()) && properties.getCorrelationId() != null
                            && admitted != null) {
                        link.execute(() -> stay(properties.getCorrelationId(), admitted));
                    }
                }
            });
            return true;
        } catch (IOException e) {
            Log.warnf("Answers to let-go requests not consumed (%s): a connection replaced on another replica while"
                    + " this one took its lock late is closed after %d s", e.toString(), GIVE_UP.toSeconds());
            return false;
        }
    }

    private void listen(String workerId, String queue) {
        try {
            Channel channel = link.take();
            String tag = channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                        byte[] body) {
                    if (LET_GO.equals(properties.getType())) {
                        link.execute(() -> letGo(workerId, admitted(properties), properties.getReplyTo()));
                    }
                }
            });
            listening.put(workerId, tag);
        } catch (IOException e) {
            Log.warnf("Worker lock %s not listened on: %s", queue, e.toString());
        }
    }

    /**
     * Another replica has a connection with this id, admitted at {@code asker} (null from a replica that does not
     * say): if ours is older, close it and give up the lock; if ours is newer, keep both and tell the asker to close
     * its own.
     */
    private void letGo(String workerId, Long asker, String replyTo) {
        Worker holder = holders.get(workerId);
        if (holder != null && asker != null && micros(holder.connectedSince()) > asker) {
            Log.infof("[%s] asked to let go for an older connection on another replica: keeps its lock", holder);
            if (replyTo != null) {
                answerStay(workerId, asker, replyTo);
            }
            return;
        }
        if (holder != null) {
            Log.infof("[%s] replaced by a connection with the same id on another replica", holder);
            closeAsReplaced(holder);
        }
        release(workerId);
    }

    private void answerStay(String workerId, long asker, String replyTo) {
        AMQP.BasicProperties answer = new AMQP.BasicProperties.Builder().type(STAY).correlationId(workerId)
                .headers(Map.of(ADMITTED, asker)).build();
        try {
            link.take().basicPublish("", replyTo, answer, new byte[0]);
        } catch (IOException e) {
            Log.warnf("[%s] stay answer not sent: %s", workerId, e.toString());
        }
    }

    /** The replica owning this id's lock has a newer connection with it than ours, admitted at {@code ours}. */
    private void stay(String workerId, long ours) {
        Worker holder = holders.get(workerId);
        if (holder == null || micros(holder.connectedSince()) != ours || listening.containsKey(workerId)) {
            return;
        }
        Log.infof("[%s] replaced by a newer connection with the same id on another replica", holder);
        closeAsReplaced(holder);
    }

    /** A connection with this worker's id on another replica wins: this one neither holds nor waits for the lock. */
    private void closeAsReplaced(Worker worker) {
        holders.remove(worker.id(), worker);
        worker.link().close(Closing.REPLACED);
    }

    private static Long admitted(AMQP.BasicProperties properties) {
        Map<String, Object> headers = properties.getHeaders();
        return headers != null && headers.get(ADMITTED) instanceof Number admitted ? admitted.longValue() : null;
    }

    private static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private void release(String workerId) {
        String tag = listening.remove(workerId);
        if (tag == null || !link.isUp()) {
            return;
        }
        try {
            link.take().queueDelete(names.workerLock(workerId));
        } catch (IOException e) {
            Log.debugf("Worker lock of %s not deleted: %s", workerId, e);
        }
    }
}
