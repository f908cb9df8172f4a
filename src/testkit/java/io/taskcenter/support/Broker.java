package io.taskcenter.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

/**
 * The tests' (and the bench's) own view of the real RabbitMQ the service uses: publishes tasks like a producer
 * does and looks into the queues, with the RabbitMQ Java client. Queue and exchange names come from the service's
 * config, or follow {@link ServiceProcess#onQueues} for a service run as a process.
 */
public final class Broker implements AutoCloseable {

    private static final String CHANNEL = "mp.messaging.incoming.tasks.";
    /** The broker of the tests run outside the service (RABBITMQ_HOST, RABBITMQ_PORT), as CI sets them. */
    public static final String HOST = Optional.ofNullable(System.getenv("RABBITMQ_HOST")).orElse("localhost");
    public static final int PORT = Integer.parseInt(Optional.ofNullable(System.getenv("RABBITMQ_PORT")).orElse("5672"));

    private final Connection connection;
    private final Channel channel;
    private final String exchange;
    private final String queue;
    private final String deadLetterQueue;

    private Broker(Connection connection, String exchange, String queue, String deadLetterQueue) throws IOException {
        this.connection = connection;
        this.channel = connection.createChannel();
        this.channel.confirmSelect();
        this.exchange = exchange;
        this.queue = queue;
        this.deadLetterQueue = deadLetterQueue;
    }

    /** Connects to the broker the service is configured with (Dev Services or the local one). */
    public static Broker connect() {
        Config config = ConfigProvider.getConfig();
        return connect(config.getOptionalValue("rabbitmq-host", String.class).orElse("localhost"),
                config.getOptionalValue("rabbitmq-port", Integer.class).orElse(5672));
    }

    /** Connects to {@code host:port}, with the service's queue names. */
    public static Broker connect(String host, int port) {
        Config config = ConfigProvider.getConfig();
        return connect(host, port, config.getValue(CHANNEL + "exchange.name", String.class),
                config.getValue(CHANNEL + "queue.name", String.class),
                config.getValue(CHANNEL + "dead-letter-queue-name", String.class));
    }

    /** Connects to {@code host:port} as the RABBITMQ_USERNAME/PASSWORD user (guest by default). */
    public static Broker connect(String host, int port, String exchange, String queue, String deadLetterQueue) {
        return connect(host, port, Optional.ofNullable(System.getenv("RABBITMQ_USERNAME")).orElse("guest"),
                Optional.ofNullable(System.getenv("RABBITMQ_PASSWORD")).orElse("guest"), exchange, queue,
                deadLetterQueue);
    }

    private static Broker connect(String host, int port, String user, String password, String exchange, String queue,
            String deadLetterQueue) {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(user);
        factory.setPassword(password);
        try {
            return new Broker(factory.newConnection("task-center-tests"), exchange, queue, deadLetterQueue);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("Cannot reach RabbitMQ at " + factory.getHost() + ":" + factory.getPort(), e);
        }
    }

    /** Connects to {@link #HOST}:{@link #PORT}, to the queues {@link ServiceProcess#onQueues} names. */
    public static Broker forQueues(String queue) {
        return connect(HOST, PORT, queue, queue, deadLetterQueue(queue));
    }

    /** Connects to {@code host:port} as {@code user}, to the queues {@link ServiceProcess#onQueues} names. */
    public static Broker forQueues(String queue, String host, int port, String user, String password) {
        return connect(host, port, user, password, queue, queue, deadLetterQueue(queue));
    }

    /** The dead-letter exchange {@link ServiceProcess#onQueues} names for {@code queue}. */
    public static String deadLetterExchange(String queue) {
        return queue + ".dlx";
    }

    /** The dead-letter queue {@link ServiceProcess#onQueues} names for {@code queue}. */
    public static String deadLetterQueue(String queue) {
        return queue + ".dead";
    }

    /** Deletes the exchange and queues, the waiting rooms, and the dead-letter exchange {@code deadLetterExchange}. */
    public void delete(String deadLetterExchange) {
        delete(deadLetterExchange, rooms());
    }

    /** As {@link #delete(String)}, for a worker mapping whose waiting rooms are {@code rooms}. */
    public void delete(String deadLetterExchange, List<String> rooms) {
        try {
            channel.queueDelete(queue);
            channel.queueDelete(deadLetterQueue);
            for (String room : rooms) {
                channel.queueDelete(room);
            }
            channel.exchangeDelete(exchange);
            channel.exchangeDelete(deadLetterExchange);
            channel.exchangeDelete(queue + ".wait");
            channel.exchangeDelete(queue + ".presence");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The waiting rooms of the seed's worker mapping: type 1, and every other type. */
    public List<String> rooms() {
        return List.of(room("1"), room("other"));
    }

    /** The waiting room of one task class ({@code 1}, {@code other}). */
    public String room(String taskClass) {
        return queue + ".wait." + taskClass;
    }

    public String queue() {
        return queue;
    }

    public String deadLetterQueue() {
        return deadLetterQueue;
    }

    /** Publishes to the tasks exchange as producers do, and waits for the broker's confirm. */
    public void publish(String body) {
        publish(body, new AMQP.BasicProperties.Builder().deliveryMode(2).build());
    }

    public void publish(String body, AMQP.BasicProperties properties) {
        try {
            channel.basicPublish(exchange, "test.task", properties, body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(Duration.ofSeconds(10).toMillis());
        } catch (IOException | InterruptedException | TimeoutException e) {
            throw new IllegalStateException("Publish to " + exchange + " failed", e);
        }
    }

    /** A channel of its own on this connection, for a test that speaks AMQP to the service itself. */
    public Channel openChannel() {
        try {
            return connection.createChannel();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Declares a server-named, exclusive queue for replies, as RPC clients do. */
    public String replyQueue() {
        try {
            return channel.queueDeclare().getQueue();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The next message in {@code queueName}, taken off it, or null if none is ready. */
    public GetResponse take(String queueName) {
        try {
            return channel.basicGet(queueName, true);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Messages ready for delivery in {@code queueName} (unacked ones are not counted). */
    public long ready(String queueName) {
        try {
            return channel.messageCount(queueName);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Takes every message ready in {@code queueName} off it. */
    public List<GetResponse> takeAll(String queueName) {
        List<GetResponse> taken = new ArrayList<>();
        try {
            for (GetResponse message = channel.basicGet(queueName, true); message != null;
                    message = channel.basicGet(queueName, true)) {
                taken.add(message);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return taken;
    }

    public static String body(GetResponse message) {
        return new String(message.getBody(), StandardCharsets.UTF_8);
    }

    /** Empties the task queue, the dead-letter queue and the waiting rooms that exist. */
    public void purge() {
        purge(rooms());
    }

    /** As {@link #purge()}, for a worker mapping whose waiting rooms are {@code rooms}. */
    public void purge(List<String> rooms) {
        try {
            channel.queuePurge(queue);
            channel.queuePurge(deadLetterQueue);
            for (String room : rooms) {
                // A channel of its own: purging a room not declared yet closes it.
                try (Channel own = connection.createChannel()) {
                    own.queuePurge(room);
                } catch (IOException | TimeoutException | RuntimeException notDeclared) {
                    // Nothing to empty.
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException, TimeoutException {
        connection.close();
    }
}
