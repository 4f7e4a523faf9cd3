package io.keywatch.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Any bytes at all: the parser answers with an event or a reason, and never throws. {@code mvn verify} replays the
 * committed inputs in {@code src/test/resources/io/keywatch/events/UsageEventParserFuzzTestInputs}; README: Fuzzing.
 */
class UsageEventParserFuzzTest {

    private final UsageEventParser parser = new UsageEventParser();

    @FuzzTest
    void everyInputIsAnEventOrAReason(byte[] input) {
        UsageEventParser.Result result = parser.parse(input);
        assertThat(result).isNotNull();
        if (result instanceof UsageEventParser.Invalid invalid) {
            assertThat(invalid.reason()).isNotBlank();
        }
    }
}
