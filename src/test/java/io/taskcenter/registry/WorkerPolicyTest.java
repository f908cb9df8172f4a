package io.taskcenter.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.taskcenter.config.TaskCenterConfig.WorkerRule;
import io.taskcenter.task.TaskTypes;

class WorkerPolicyTest {

    @Test
    void theSeedMappingSendsTypeOneToWorkersOneAndThreeAndEveryOtherTypeToTwoAndFour() {
        Map<String, TaskTypes> seed = WorkerPolicy.resolve(Map.of(
                "1", rule("1"), "3", rule("1"), "2", rule("other"), "4", rule("other")));

        assertThat(seed.get("1").accepts(1)).isTrue();
        assertThat(seed.get("3").accepts(1)).isTrue();
        assertThat(seed.get("1").accepts(2)).isFalse();
        assertThat(seed.get("2").accepts(1)).isFalse();
        assertThat(seed.get("4").accepts(2)).isTrue();
        assertThat(seed.get("4").accepts(-7)).isTrue();
        assertThat(seed).doesNotContainKey("9");
    }

    @Test
    void otherExcludesEveryTypeAnyWorkerListsAndAnyTakesAll() {
        Map<String, TaskTypes> rules = WorkerPolicy.resolve(Map.of(
                "a", rule("1", "2"), "b", rule("5"), "c", rule("other"), "d", rule("any")));

        assertThat(rules.get("c").accepts(1)).isFalse();
        assertThat(rules.get("c").accepts(5)).isFalse();
        assertThat(rules.get("c").accepts(3)).isTrue();
        assertThat(rules.get("d").accepts(1)).isTrue();
        assertThat(rules.get("d").accepts(3)).isTrue();
        assertThat(rules.get("a").accepts(2)).isTrue();
    }

    @Test
    void aBadEntryFailsWithTheKeyToFix() {
        assertThatThrownBy(() -> WorkerPolicy.resolve(Map.of("7", rule("one"))))
                .hasMessage("Invalid taskcenter.workers.\"7\".task-types: 'one' is neither an integer task type nor 'any' or 'other'");
        assertThatThrownBy(() -> WorkerPolicy.resolve(Map.of("7", rule("1", "any"))))
                .hasMessage("Invalid taskcenter.workers.\"7\".task-types: 'any' cannot be combined with other task types");
    }

    private static WorkerRule rule(String... types) {
        return () -> List.of(types);
    }
}
