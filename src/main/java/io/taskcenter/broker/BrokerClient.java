package io.taskcenter.broker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import io.quarkus.logging.Log;

/**
 * A RabbitMQ connection of the service's own, for what the messaging channels cannot do: publishing with a
 * confirm the caller waits for, and reading the dead-letter queue without consuming it. It uses the same
 * {@code rabbitmq-*} settings as the channels. Blocking: call it from worker threads only.
 */
@ApplicationScoped
public class BrokerClient {

    /** How long a call may wait for the broker before the caller hears it is unavailable. */
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ConnectionFactory factory = new ConnectionFactory();
    private Connection connection;

    BrokerClient(@ConfigProperty(name = "rabbitmq-host", defaultValue = "localhost") String host,
            @ConfigProperty(name = "rabbitmq-port", defaultValue = "5672") int port,
            @ConfigProperty(name = "rabbitmq-username", defaultValue = "guest") String username,
            @ConfigProperty(name = "rabbitmq-password", defaultValue = "guest") String password,
            @ConfigProperty(name = "rabbitmq-virtual-host", defaultValue = "/") String virtualHost,
            @ConfigProperty(name = "rabbitmq-ssl", defaultValue = "false") boolean ssl,
            @ConfigProperty(name = "mp.messaging.connector.smallrye-rabbitmq.requested-heartbeat", defaultValue = "10")
            int heartbeatSeconds,
            @ConfigProperty(name = "rabbitmq-trust-store-path") Optional<String> trustStorePath,
            @ConfigProperty(name = "rabbitmq-trust-store-password") Optional<String> trustStorePassword) {
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setVirtualHost(virtualHost);
        factory.setConnectionTimeout((int) TIMEOUT.toMillis());
        factory.setHandshakeTimeout((int) TIMEOUT.toMillis());
        // The same heartbeat as the connectors' (application.properties): a dead peer is noticed in seconds.
        factory.setRequestedHeartbeat(heartbeatSeconds);
        // Reconnect on the next call instead: a caller gets a prompt 503, not a wait for the recovery loop.
        factory.setAutomaticRecoveryEnabled(false);
        if (ssl) {
            factory.useSslProtocol(tls(trustStorePath, trustStorePassword));
            factory.enableHostnameVerification();
        }
    }

    /** The JVM's TLS context, or one trusting the JKS trust store the channels use too. */
    private static SSLContext tls(Optional<String> trustStorePath, Optional<String> trustStorePassword) {
        try {
            if (trustStorePath.isEmpty()) {
                return SSLContext.getDefault();
            }
            KeyStore trusted = KeyStore.getInstance("JKS");
            try (InputStream in = Files.newInputStream(Path.of(trustStorePath.get()))) {
                trusted.load(in, trustStorePassword.map(String::toCharArray).orElse(null));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("rabbitmq-ssl is set but the TLS trust could not be set up: " + e, e);
        }
    }

    /** Work done on a channel of its own, closed afterwards whatever happens. */
    public interface ChannelWork<T> {
        T run(Channel channel) throws IOException, InterruptedException, TimeoutException;
    }

    public <T> T withChannel(ChannelWork<T> work) throws BrokerUnavailableException {
        try {
            Channel channel = connection().createChannel();
            try {
                return work.run(channel);
            } finally {
                // A refused operation has closed it already; closing it again would throw.
                if (channel.isOpen()) {
                    channel.close();
                }
            }
        } catch (IOException | TimeoutException e) {
            throw new BrokerUnavailableException("RabbitMQ is unavailable: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokerUnavailableException("interrupted while waiting for RabbitMQ", e);
        }
    }

    /** A new connection with the same settings, for a part of the service that keeps one of its own. */
    public Connection open(String name) throws IOException, TimeoutException {
        return factory.newConnection(name);
    }

    /** Where the connections go, for log lines. */
    public String address() {
        return factory.getHost() + ":" + factory.getPort();
    }

    private synchronized Connection connection() throws IOException, TimeoutException {
        if (connection == null || !connection.isOpen()) {
            connection = factory.newConnection("task-center-operations");
            Log.infof("Operations connection to RabbitMQ at %s:%d opened", factory.getHost(), factory.getPort());
        }
        return connection;
    }

    private static String describe(Exception e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    @PreDestroy
    synchronized void close() {
        if (connection != null && connection.isOpen()) {
            try {
                connection.close((int) TIMEOUT.toMillis());
            } catch (IOException e) {
                Log.debugf("Operations connection did not close cleanly: %s", e);
            }
        }
    }
}
