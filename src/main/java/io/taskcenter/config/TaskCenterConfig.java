package io.taskcenter.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.validation.constraints.Min;

import org.hibernate.validator.constraints.time.DurationMin;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Every setting of the service that is not a RabbitMQ channel setting ({@code mp.messaging.*}). Numbers and
 * durations are validated at startup: a value out of range stops the service with a message naming the key.
 */
@ConfigMapping(prefix = "taskcenter")
public interface TaskCenterConfig {

    /**
     * The workers that may connect, keyed by worker id, with the task types each one takes.
     * A worker id that is not listed here is refused when it connects.
     * The default mapping is the seed's: workers {@code 1} and {@code 3} take type 1,
     * workers {@code 2} and {@code 4} take every other type.
     */
    Map<String, WorkerRule> workers();

    /**
     * How long a newly opened connection may stay silent before it has to send its worker id (seed) or its
     * {@code hello} (v1). A connection that says nothing is closed, so idle sockets cannot pile up.
     */
    @WithDefault("10s")
    @DurationMin(millis = 1)
    Duration helloTimeout();

    /** How tasks are assigned to workers. */
    Dispatch dispatch();

    /** How the service notices workers that went silent. */
    Heartbeat heartbeat();

    /** What happens on SIGTERM. */
    Shutdown shutdown();

    /** Who may connect as a worker, and who may change state through the API. */
    Auth auth();

    /** Bounds that keep one client from exhausting the service. */
    Limits limits();

    /** Waiting rooms: where tasks wait in RabbitMQ while no free slot can take them. */
    Rooms rooms();

    /** The web pages at {@code /} and {@code /workers.html}, and the live stream they read. */
    Dashboard dashboard();

    interface WorkerRule {

        /**
         * The task types this worker takes: a list of integers, {@code any} for every type, or
         * {@code other} for every type that no worker lists explicitly.
         */
        @WithName("task-types")
        List<String> taskTypes();
    }

    interface Dispatch {

        /**
         * How many tasks a seed-protocol worker holds at once. Its slot frees when the write of the task
         * has completed, since the seed protocol never reports completion.
         */
        @WithDefault("1")
        @Min(1)
        int seedCapacity();

        /** The largest capacity a v1 worker may declare in its {@code hello}. */
        @WithDefault("64")
        @Min(1)
        int maxCapacity();

        /**
         * How long a task may wait for an eligible worker to come online before the no-worker rule applies
         * (requeue on first delivery, dead-letter on redelivery). Lets a worker that reconnects within this
         * time keep its tasks out of the dead-letter queue. A task that waits because every eligible worker
         * is busy waits as long as it takes.
         */
        @WithDefault("10s")
        @DurationMin(millis = 0)
        Duration workerWait();

        /**
         * How long a v1 worker may hold a task without sending {@code done}, {@code failed} or
         * {@code progress}. Past it, the task goes back to the queue for another worker.
         */
        @WithDefault("5m")
        @DurationMin(millis = 1)
        Duration taskTimeout();

        /**
         * How many times a task is delivered at most (from the quorum queue's delivery count) before a
         * failure or a lost worker dead-letters it instead of requeueing it.
         */
        @WithDefault("5")
        @Min(1)
        int maxAttempts();
    }

    interface Heartbeat {

        /** How often each worker is sent a WebSocket ping. */
        @WithDefault("5s")
        @DurationMin(millis = 1)
        Duration interval();

        /**
         * How long a worker may stay silent (no frame, no pong) before its socket is closed and the tasks it
         * holds go back to the queue.
         */
        @WithDefault("15s")
        @DurationMin(millis = 1)
        Duration timeout();
    }

    interface Auth {

        /**
         * Whether workers must present a signed JWT to open {@code /push}, and API callers to change state.
         * On by default; dev and test mode turn it off. The verification key comes from
         * {@code mp.jwt.verify.publickey.location} (a PEM key or a JWKS URL, e.g. Keycloak's) and the issuer
         * from {@code mp.jwt.verify.issuer}.
         */
        @WithDefault("true")
        boolean enabled();

        /** The claim holding the worker id a token is for. */
        @WithDefault("sub")
        String workerIdClaim();

        /** The claim listing the task types a worker may take: an array of integers, or {@code "any"}. */
        @WithDefault("taskTypes")
        String taskTypesClaim();

        /** The claim with the largest capacity a worker may declare; without it, {@code dispatch.max-capacity}. */
        @WithDefault("maxCapacity")
        String maxCapacityClaim();

        /** The role (JWT {@code groups}) an API caller needs to publish tasks or replay dead letters. */
        @WithDefault("taskcenter-admin")
        String adminRole();
    }

    interface Limits {

        /** Open worker connections at most, over all addresses; more are refused with 503. */
        @WithDefault("20000")
        @Min(1)
        int maxConnections();

        /** Connections at most for one authenticated worker id at a time; more are refused with 429. */
        @WithDefault("4")
        @Min(1)
        int maxConnectionsPerWorker();

        /** New connections per second at most from one address; more are refused with 429. */
        @WithDefault("200")
        @Min(1)
        int connectionsPerSecondPerAddress();

        /** Frames a v1 connection may send that get an error, before it is closed with 1008. */
        @WithDefault("20")
        @Min(0)
        int maxBadFrames();

        /**
         * Origins a browser may open {@code /push} from (e.g. {@code https://ops.example.com}); a request with
         * another {@code Origin} header is refused with 403. Requests without one (non-browser workers) pass.
         * Unset: every origin is allowed.
         */
        Optional<List<String>> allowedOrigins();
    }

    interface Shutdown {

        /**
         * How long shutdown waits for v1 workers to finish the tasks they hold; the rest go back to the
         * queue. Keep it below Kubernetes' {@code terminationGracePeriodSeconds}.
         */
        @WithDefault("20s")
        @DurationMin(millis = 0)
        Duration drainTimeout();
    }

    interface Rooms {

        /**
         * Park every task that no free slot of this replica can take in a waiting room, a quorum queue per task
         * class ({@code <tasks queue>.wait.<type>} or {@code .wait.other}), and take tasks from there only for free
         * slots: a busy type does not hold up the others, and replicas share one broker. When false, such tasks
         * wait in this replica's memory (one replica only).
         */
        @WithDefault("true")
        boolean enabled();

        /** How long a look at "is an eligible worker online on some replica?" is trusted. */
        @WithDefault("100ms")
        @DurationMin(millis = 0)
        Duration presenceCache();
    }

    interface Dashboard {

        /**
         * Serve the dashboard ({@code /}), the browser worker page ({@code /workers.html}), their assets and the
         * live stream {@code /api/live}. When false, each of them answers 404.
         */
        @WithDefault("true")
        boolean enabled();

        /** How often {@code /api/live} sends a fresh view to each open page. */
        @WithDefault("1s")
        @DurationMin(millis = 100)
        Duration interval();
    }
}
