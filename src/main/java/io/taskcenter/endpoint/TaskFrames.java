package io.taskcenter.endpoint;

import java.time.Instant;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.taskcenter.dispatch.Assignment;
import io.taskcenter.dispatch.Protocol;
import io.taskcenter.protocol.SeedProtocol;
import io.taskcenter.protocol.v1.ServiceFrames;

/**
 * Encodes a task for its worker's protocol: the seed's text frame, or a v1 {@code task} frame.
 */
@Singleton
class TaskFrames {

    private final ServiceFrames v1;

    TaskFrames(ObjectMapper mapper) {
        this.v1 = new ServiceFrames(mapper);
    }

    String encode(Assignment assignment) {
        if (assignment.worker().protocol() == Protocol.SEED) {
            return SeedProtocol.taskFrame(assignment.task());
        }
        return v1.task(assignment.taskId(), assignment.task().type(), assignment.task().name(),
                assignment.task().payload(), assignment.attempt(), Instant.now().plus(assignment.timeout()));
    }
}
