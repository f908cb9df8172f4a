package io.taskcenter.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;

/**
 * The RabbitMQ side of the bench: a producer with publisher confirms, the plain-AMQP baseline consumers and
 * queue housekeeping. Every task's name carries its sequence number and its send time
 * ({@code b-<seq>-<System.nanoTime()>}): publisher and workers share this JVM, so the clock is the same, and the
 * name is what both protocols hand to the worker (seed workers see nothing else).
 */
final class Amqp implements AutoCloseable {

    private final ConnectionFactory factory = new ConnectionFactory();
    private final Connection connection;

    Amqp(String host, int port, String user, String password) throws IOException, TimeoutException {
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(user);
        factory.setPassword(password);
        connection = factory.newConnection("bench-admin");
    }

    Connection newConnection(String name) throws IOException, TimeoutException {
        return factory.newConnection(name);
    }

    static String taskName(long seq, long sentNanos) {
        return "b-" + seq + "-" + sentNanos;
    }

    /** The sequence number in a task name (or a seed frame, which may start with {@code Special-}). */
    static long seqOf(String name) {
        int start = name.indexOf("b-") + 2;
        int end = name.indexOf('-', start);
        return Long.parseLong(name, start, end, 10);
    }

    /** The task name in a body the bench published. */
    static String taskNameOf(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        int start = s.indexOf("\"TaskName\":\"") + 12;
        return s.substring(start, s.indexOf('"', start));
    }

    static long sentNanosOf(String name) {
        int start = name.indexOf("b-") + 2;
        int dash = name.indexOf('-', start);
        int end = dash + 1;
        while (end < name.length() && Character.isDigit(name.charAt(end))) {
            end++;
        }
        return Long.parseLong(name, dash + 1, end, 10);
    }

    /** A quorum queue bound to a topic exchange with {@code #}, declared like the service declares its own. */
    void declarePlainQueue(String exchange, String queue) throws IOException {
        try (Channel ch = connection.createChannel()) {
            ch.exchangeDeclare(exchange, "topic", true);
            ch.queueDeclare(queue, true, false, false, Map.of("x-queue-type", "quorum"));
            ch.queueBind(queue, exchange, "#");
        } catch (TimeoutException e) {
            throw new IOException(e);
        }
    }

    /** Ready messages in a queue, or -1 when it does not exist. */
    long readyCount(String queue) {
        try (Channel ch = connection.createChannel()) {
            return ch.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException | TimeoutException e) {
            return -1;
        }
    }

    /** Consumers on a queue, or -1 when it does not exist. */
    long consumerCount(String queue) {
        try (Channel ch = connection.createChannel()) {
            return ch.queueDeclarePassive(queue).getConsumerCount();
        } catch (IOException | TimeoutException e) {
            return -1;
        }
    }

    void purge(String queue) {
        try (Channel ch = connection.createChannel()) {
            ch.queuePurge(queue);
        } catch (IOException | TimeoutException e) {
            // absent: nothing to purge
        }
    }

    void deleteQueues(String... queues) {
        for (String q : queues) {
            try (Channel ch = connection.createChannel()) {
                ch.queueDelete(q);
            } catch (IOException | TimeoutException e) {
                // absent
            }
        }
    }

    void deleteExchanges(String... exchanges) {
        for (String x : exchanges) {
            try (Channel ch = connection.createChannel()) {
                ch.exchangeDelete(x);
            } catch (IOException | TimeoutException e) {
                // absent
            }
        }
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }

    /** Publishes with confirms, at most {@code window} unconfirmed. */
    static final class Publisher implements AutoCloseable {
        private final Connection connection;
        private final Channel channel;
        private final String exchange;
        private final Semaphore window;
        private final ConcurrentSkipListSet<Long> outstanding = new ConcurrentSkipListSet<>();
        private final int windowSize;
        private volatile long nacked;

        Publisher(Amqp amqp, String exchange, int windowSize) throws IOException, TimeoutException {
            this.connection = amqp.newConnection("bench-producer");
            this.channel = connection.createChannel();
            this.exchange = exchange;
            this.windowSize = windowSize;
            this.window = new Semaphore(windowSize);
            channel.confirmSelect();
            channel.addConfirmListener((tag, multiple) -> settle(tag, multiple),
                    (tag, multiple) -> {
                        nacked++;
                        settle(tag, multiple);
                    });
        }

        private void settle(long tag, boolean multiple) {
            if (multiple) {
                var head = outstanding.headSet(tag, true);
                int n = 0;
                while (head.pollFirst() != null) {
                    n++;
                }
                window.release(n);
            } else if (outstanding.remove(tag)) {
                window.release();
            }
        }

        /** Publishes one task of {@code type}; its name carries {@code seq} and the send time. */
        void publish(long seq, int type) throws IOException, InterruptedException {
            window.acquire();
            long now = System.nanoTime();
            byte[] body = ("{\"TaskName\":\"" + taskName(seq, now) + "\",\"TaskType\":" + type + "}")
                    .getBytes(StandardCharsets.UTF_8);
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json")
                    .deliveryMode(2).messageId("b-" + seq).build();
            synchronized (channel) {
                outstanding.add(channel.getNextPublishSeqNo());
                channel.basicPublish(exchange, "bench", props, body);
            }
        }

        /** Waits until every publish is confirmed. */
        void awaitConfirms(long timeoutMs) throws InterruptedException {
            if (!window.tryAcquire(windowSize, timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("publisher confirms missing after " + timeoutMs + " ms");
            }
            window.release(windowSize);
        }

        long nacked() {
            return nacked;
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }

    /** What a consumer (baseline or worker) does with each received task name. */
    interface Sink {
        void received(String taskName, long receivedNanos);
    }

    /**
     * The baseline: {@code count} plain consumers on one queue, each on its own channel with basic.qos
     * {@code prefetch}, manual ack of each message as soon as it arrives.
     */
    static final class BaselineConsumers implements AutoCloseable {
        private final Connection connection;

        BaselineConsumers(Amqp amqp, String queue, int count, int prefetch, Sink sink)
                throws IOException, TimeoutException {
            connection = amqp.newConnection("bench-baseline");
            for (int i = 0; i < count; i++) {
                Channel ch = connection.createChannel();
                ch.basicQos(prefetch);
                ch.basicConsume(queue, false, new DefaultConsumer(ch) {
                    @Override
                    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties,
                            byte[] body) throws IOException {
                        long now = System.nanoTime();
                        sink.received(taskNameOf(body), now);
                        getChannel().basicAck(envelope.getDeliveryTag(), false);
                    }
                });
            }
        }

        @Override
        public void close() throws IOException {
            connection.close();
        }
    }
}
