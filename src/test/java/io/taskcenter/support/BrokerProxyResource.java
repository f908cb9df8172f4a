package io.taskcenter.support;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the service at a {@link TcpProxy} in front of the real broker (RABBITMQ_HOST/RABBITMQ_PORT, or
 * localhost:5672), and injects the proxy into the test's {@code TcpProxy} field.
 */
public class BrokerProxyResource implements QuarkusTestResourceLifecycleManager {

    private TcpProxy proxy;

    @Override
    public Map<String, String> start() {
        proxy = new TcpProxy(Broker.HOST, Broker.PORT).start();
        return Map.of(
                "rabbitmq-host", "127.0.0.1",
                "rabbitmq-port", String.valueOf(proxy.port()),
                // Reconnect quickly so the test does not wait out the production interval.
                "rabbitmq-reconnect-interval", "1");
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(proxy, new TestInjector.MatchesType(TcpProxy.class));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
