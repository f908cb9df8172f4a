package io.taskcenter.rooms;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.ReturnListener;

/**
 * Mandatory publishes with publisher confirms on one channel: each publish completes with whether the broker
 * routed the message to a queue ({@code false}: it came back as a {@code basic.return}), once the broker has
 * confirmed it. A return always comes before its confirm; the publish's sequence number travels in a header
 * ({@link #SEQUENCE}) so that the return finds its publish.
 */
final class Confirms implements ConfirmListener, ReturnListener {

    /** How long the broker may take to confirm. */
    static final long TIMEOUT_SECONDS = 10;
    /** The header carrying the publish's sequence number on the channel; readers drop it. */
    static final String SEQUENCE = "x-taskcenter-publish";

    private final Channel channel;
    private final ConcurrentNavigableMap<Long, Pending> outstanding = new ConcurrentSkipListMap<>();

    private record Pending(CompletableFuture<Boolean> routed, boolean[] returned) {
    }

    Confirms(Channel channel) throws IOException {
        this.channel = channel;
        channel.confirmSelect();
        channel.addConfirmListener(this);
        channel.addReturnListener(this);
    }

    /** Publishes with {@code mandatory}; call from one thread only, so sequence numbers follow publishes. */
    CompletableFuture<Boolean> publish(String exchange, String routingKey, AMQP.BasicProperties properties,
            byte[] body) {
        long sequence = channel.getNextPublishSeqNo();
        Map<String, Object> headers = properties.getHeaders() == null ? new HashMap<>()
                : new HashMap<>(properties.getHeaders());
        headers.put(SEQUENCE, sequence);
        Pending pending = new Pending(new CompletableFuture<>(), new boolean[1]);
        outstanding.put(sequence, pending);
        try {
            channel.basicPublish(exchange, routingKey, true, properties.builder().headers(headers).build(), body);
        } catch (IOException | RuntimeException e) {
            outstanding.remove(sequence);
            pending.routed.completeExceptionally(e);
        }
        return pending.routed.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The channel closed: nothing outstanding will be confirmed on it. */
    void failAll(Exception why) {
        outstanding.values().forEach(pending -> pending.routed.completeExceptionally(why));
        outstanding.clear();
    }

    @Override
    public void handleReturn(int replyCode, String replyText, String exchange, String routingKey,
            AMQP.BasicProperties properties, byte[] body) {
        Object sequence = properties.getHeaders() == null ? null : properties.getHeaders().get(SEQUENCE);
        Pending pending = sequence instanceof Number number ? outstanding.get(number.longValue()) : null;
        if (pending != null) {
            pending.returned[0] = true;
        }
    }

    @Override
    public void handleAck(long sequence, boolean multiple) {
        settle(sequence, multiple, null);
    }

    @Override
    public void handleNack(long sequence, boolean multiple) {
        settle(sequence, multiple, new IOException("the broker refused the message (basic.nack)"));
    }

    private void settle(long sequence, boolean multiple, Exception refused) {
        Map<Long, Pending> done = multiple ? outstanding.headMap(sequence, true) : subMap(sequence);
        for (Pending pending : Map.copyOf(done).values()) {
            if (refused == null) {
                pending.routed.complete(!pending.returned[0]);
            } else {
                pending.routed.completeExceptionally(refused);
            }
        }
        done.clear();
    }

    private Map<Long, Pending> subMap(long sequence) {
        return outstanding.subMap(sequence, true, sequence, true);
    }
}
