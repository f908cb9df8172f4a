package io.taskcenter.endpoint;

import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;

import io.quarkus.websockets.next.CloseReason;
import io.taskcenter.config.TaskCenterConfig;
import io.taskcenter.registry.WorkerPolicy;
import io.taskcenter.security.WorkerGrant;
import io.taskcenter.task.TaskTypes;

/**
 * The one decision whether a connection may become a worker, for both protocols: the id it claims against the
 * configuration and its token, then the capacity and task types it asks for. A seed worker asks for no types
 * (it takes what it is allowed) and gets the configured seed capacity.
 */
@Singleton
class Admission {

    static final int MAX_ID_LENGTH = 128;

    private final Function<String, Optional<TaskTypes>> policy;
    private final int seedCapacity;
    private final int maxCapacity;

    @Inject
    Admission(WorkerPolicy policy, TaskCenterConfig config) {
        this(policy::typesFor, config.dispatch().seedCapacity(), config.dispatch().maxCapacity());
    }

    Admission(Function<String, Optional<TaskTypes>> policy, int seedCapacity, int maxCapacity) {
        this.policy = policy;
        this.seedCapacity = seedCapacity;
        this.maxCapacity = maxCapacity;
    }

    /**
     * What a connection asks to be.
     *
     * @param taskTypes the types a v1 hello lists; null for a seed worker
     * @param capacity the capacity a v1 hello declares; ignored for a seed worker
     */
    record Claim(String workerId, Set<Integer> taskTypes, int capacity) {

        static Claim seed(String workerId) {
            return new Claim(workerId, null, 0);
        }
    }

    /** Either the types and capacity a worker gets, or the close it gets instead. */
    record Decision(TaskTypes types, int capacity, CloseReason refusal) {

        static Decision refused(CloseReason refusal) {
            return new Decision(null, 0, refusal);
        }

        boolean admitted() {
            return refusal == null;
        }
    }

    /** @param grant what the connection's token allows; null when tokens are not required */
    Decision decide(Claim claim, WorkerGrant grant) {
        String id = claim.workerId();
        if (id.isEmpty()) {
            return Decision.refused(CloseReasons.EMPTY_ID);
        }
        if (id.length() > MAX_ID_LENGTH) {
            return Decision.refused(CloseReasons.idTooLong(MAX_ID_LENGTH));
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            return Decision.refused(CloseReasons.CONTROL_CHARACTERS);
        }
        Optional<TaskTypes> configured = policy.apply(id);
        if (configured.isEmpty()) {
            return Decision.refused(CloseReasons.unknownWorker(id));
        }
        if (grant != null && !grant.workerId().equals(id)) {
            return Decision.refused(CloseReasons.notTheTokensWorker(grant.workerId(), id));
        }
        if (claim.taskTypes() == null) {
            return new Decision(configured.get().restrictedTo(grant == null ? null : grant.taskTypes()), seedCapacity,
                    null);
        }
        if (claim.capacity() < 1 || claim.capacity() > maxCapacity) {
            return Decision.refused(CloseReasons.capacityOutOfRange(claim.capacity(), maxCapacity));
        }
        if (grant != null && claim.capacity() > grant.maxCapacity()) {
            return Decision.refused(CloseReasons.capacityNotGranted(claim.capacity(), grant.maxCapacity()));
        }
        Set<Integer> notGranted = claim.taskTypes().stream()
                .filter(type -> grant != null && !grant.allows(type))
                .collect(Collectors.toSet());
        if (!notGranted.isEmpty()) {
            return Decision.refused(CloseReasons.typesNotGranted(notGranted));
        }
        Set<Integer> notAllowed = claim.taskTypes().stream()
                .filter(type -> !configured.get().accepts(type))
                .collect(Collectors.toSet());
        if (!notAllowed.isEmpty()) {
            return Decision.refused(CloseReasons.typesNotAllowed(id, notAllowed));
        }
        return new Decision(TaskTypes.of(claim.taskTypes()), claim.capacity(), null);
    }
}
