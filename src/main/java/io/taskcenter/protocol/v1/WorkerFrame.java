package io.taskcenter.protocol.v1;

import java.util.Set;

/**
 * A frame a v1 worker sends, once {@link WorkerFrames} has checked it.
 */
public sealed interface WorkerFrame {

    /** The frame's {@code type} on the wire. */
    String type();

    /** The first frame: who the worker is, which task types it takes and how many tasks it may hold. */
    record Hello(String workerId, Set<Integer> taskTypes, int capacity) implements WorkerFrame {
        @Override
        public String type() {
            return V1.HELLO;
        }
    }

    /** The task is finished; {@code result} is the JSON text the worker sent, or null if it sent none. */
    record Done(String taskId, String result) implements WorkerFrame {
        @Override
        public String type() {
            return V1.DONE;
        }
    }

    /** The task failed; {@code retry} says whether another attempt may succeed. */
    record Failed(String taskId, String error, boolean retry) implements WorkerFrame {
        @Override
        public String type() {
            return V1.FAILED;
        }
    }

    /** The worker wants no more tasks: it finishes those it holds, then closes. */
    record Drain() implements WorkerFrame {
        @Override
        public String type() {
            return V1.DRAIN;
        }
    }

    /** The worker is still on the task: its deadline starts again. */
    record Progress(String taskId) implements WorkerFrame {
        @Override
        public String type() {
            return V1.PROGRESS;
        }
    }
}
