package io.taskcenter.protocol.v1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;

class WorkerFramesTest {

    private final WorkerFrames frames = new WorkerFrames(new ObjectMapper());

    @Test
    void readsEachFrameAWorkerSends() throws Exception {
        assertThat(frames.read("{\"type\":\"hello\",\"workerId\":\"w-1\",\"taskTypes\":[3,1,3],\"capacity\":8}"))
                .isEqualTo(new WorkerFrame.Hello("w-1", Set.of(3, 1), 8));
        assertThat(frames.read("{\"type\":\"done\",\"taskId\":\"t1\"}")).isEqualTo(new WorkerFrame.Done("t1", null));
        assertThat(frames.read("{\"type\":\"failed\",\"taskId\":\"t1\",\"error\":\"disk full\",\"retry\":true}"))
                .isEqualTo(new WorkerFrame.Failed("t1", "disk full", true));
        assertThat(frames.read("{\"type\":\"failed\",\"taskId\":\"t1\"}"))
                .isEqualTo(new WorkerFrame.Failed("t1", "", false));
        assertThat(frames.read("{\"type\":\"progress\",\"taskId\":\"t1\"}")).isEqualTo(new WorkerFrame.Progress("t1"));
        assertThat(frames.read("{\"type\":\"drain\"}")).isEqualTo(new WorkerFrame.Drain());
    }

    @Test
    void keepsADoneResultAsTheWorkerWroteIt() throws Exception {
        String result = "{\"invoice\" : \"INV-77\", \"total\": 12345678901234567890.10, \"lines\":[1,{\"é\":\"\\u00e9\\\"\"}]}";

        WorkerFrame done = frames.read("{\"type\":\"done\",\"result\":" + result + ",\"taskId\":\"t1\"}");

        assertThat(done).isEqualTo(new WorkerFrame.Done("t1", result));
    }

    @Test
    void keepsAResultIntactInAFrameLongerThanTheParsersBuffers() throws Exception {
        // Over 32K characters Jackson reads the text through a Reader, a buffer at a time.
        String result = "{\"blob\":\"" + "x".repeat(40_000) + "\",\"end\":[1,2,3]}";

        WorkerFrame done = frames.read("{\"type\":\"done\",\"note\":\"" + "n".repeat(20_000) + "\",\"taskId\":\"t1\","
                + "\"result\":" + result + "}");

        assertThat(done).isEqualTo(new WorkerFrame.Done("t1", result));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"ok\"             | \"ok\"",
            "\"say \\\"hi\\\"\" | \"say \\\"hi\\\"\"",
            "-12.5e3            | -12.5e3",
            "[ ]                | [ ]",
            "false              | false",
    })
    void keepsAnyJsonValueAsADoneResult(String result, String kept) throws Exception {
        assertThat(frames.read("{\"type\":\"done\",\"taskId\":\"t1\",\"result\":" + result + "}"))
                .isEqualTo(new WorkerFrame.Done("t1", kept));
    }

    @Test
    void aNullResultIsNoResult() throws Exception {
        assertThat(frames.read("{\"type\":\"done\",\"taskId\":\"t1\",\"result\":null}"))
                .isEqualTo(new WorkerFrame.Done("t1", null));
    }

    @Test
    void skipsFieldsItDoesNotKnowAndTakesTheLastOfARepeatedOne() throws Exception {
        assertThat(frames.read("{\"type\":\"done\",\"taskId\":\"a\",\"extra\":{\"taskId\":\"b\"},\"taskId\":\"c\"}"))
                .isEqualTo(new WorkerFrame.Done("c", null));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{not json                                        | frame is not valid JSON",
            "``                                               | frame must be a JSON object",
            "[]                                               | frame must be a JSON object",
            "[1,                                              | frame is not valid JSON",
            "\"done\"                                         | frame must be a JSON object",
            "{\"type\":\"done\",\"taskId\":\"t\"} {}          | frame is not valid JSON: more content after the frame object",
            "{\"type\":\"done\",\"taskId\":\"t\"} x           | frame is not valid JSON",
            "{\"type\":\"done\",\"taskId\":\"t\",\"result\":{ | frame is not valid JSON",
            "{\"taskId\":\"t\"}                               | missing 'type'",
            "{\"type\":null}                                  | missing 'type'",
            "{\"type\":\" \"}                                 | 'type' must be a non-blank string",
            "{\"type\":7}                                     | 'type' must be a non-blank string",
            "{\"type\":\"done\"}                              | missing 'taskId'",
            "{\"type\":\"done\",\"taskId\":[\"t\"]}           | 'taskId' must be a non-blank string",
            "{\"type\":\"failed\",\"taskId\":\"t\",\"error\":1} | 'error' must be a string",
            "{\"type\":\"failed\",\"taskId\":\"t\",\"retry\":\"yes\"} | 'retry' must be true or false",
            "{\"type\":\"hello\",\"taskTypes\":[1],\"capacity\":1} | missing 'workerId'",
            "{\"type\":\"hello\",\"workerId\":\"w\",\"capacity\":1} | 'taskTypes' must be a non-empty array of integers",
            "{\"type\":\"hello\",\"workerId\":\"w\",\"taskTypes\":[],\"capacity\":1} | 'taskTypes' must be a non-empty array of integers",
            "{\"type\":\"hello\",\"workerId\":\"w\",\"taskTypes\":[1,\"2\"],\"capacity\":1} | 'taskTypes' must be a non-empty array of integers",
            "{\"type\":\"hello\",\"workerId\":\"w\",\"taskTypes\":[1,[2]],\"capacity\":1} | 'taskTypes' must be a non-empty array of integers",
            "{\"type\":\"hello\",\"workerId\":\"w\",\"taskTypes\":[4294967296],\"capacity\":1} | 'taskTypes' must be a non-empty array of integers",
            "{\"type\":\"hello\",\"workerId\":\"w\",\"taskTypes\":[1]}   | missing 'capacity'",
            "{\"type\":\"hello\",\"workerId\":\"w\",\"taskTypes\":[1],\"capacity\":2.0} | 'capacity' must be an integer",
            "{\"type\":\"hello\",\"workerId\":\"w\",\"taskTypes\":[1],\"capacity\":3000000000} | 'capacity' must be an integer",
    })
    void saysWhatIsWrongWithABadFrame(String frame, String problem) {
        assertThatThrownBy(() -> frames.read(frame))
                .isInstanceOfSatisfying(FrameException.class,
                        e -> assertThat(e.code()).isEqualTo(FrameException.BAD_FRAME))
                .hasMessageStartingWith(problem);
    }

    @Test
    void anUnknownTypeIsItsOwnError() {
        assertThatThrownBy(() -> frames.read("{\"type\":\"gossip\"}"))
                .isInstanceOfSatisfying(FrameException.class, e -> {
                    assertThat(e.code()).isEqualTo(FrameException.UNKNOWN_TYPE);
                    assertThat(e.frameType()).isEqualTo("gossip");
                })
                .hasMessage("unknown frame type 'gossip'; a worker sends hello, done, failed, progress or drain");
    }

    @Test
    void aBadFieldNamesTheFrameTypeItCameIn() {
        assertThatThrownBy(() -> frames.read("{\"type\":\"hello\",\"workerId\":\"w\"}"))
                .isInstanceOfSatisfying(FrameException.class, e -> assertThat(e.frameType()).isEqualTo("hello"));
    }
}
