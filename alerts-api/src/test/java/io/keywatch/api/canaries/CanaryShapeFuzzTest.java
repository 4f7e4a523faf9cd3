package io.keywatch.api.canaries;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.keywatch.events.KeyIds;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Any registry at all (key ids are the registry's: valid by the key-id rule, otherwise any characters and lengths):
 * the learned shape draws ids that are valid key ids, start with the learned prefix and stay within the bounds, and
 * learning never throws. The committed inputs replay on every {@code mvn verify}.
 */
class CanaryShapeFuzzTest {

    @FuzzTest
    void everyRegistryGivesAShapeThatDrawsValidKeyIds(FuzzedDataProvider data) {
        int count = data.consumeInt(0, 40);
        List<String> registry = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = data.consumeString(300);
            if (KeyIds.problem(id) == null) {
                registry.add(id);
            }
        }
        CanaryShape shape = CanaryShape.learn(registry);

        assertThat(shape.length()).isBetween(CanaryShape.MIN_LENGTH, CanaryShape.MAX_LENGTH);
        assertThat(shape.alphabet()).isIn(CanaryShape.HEX, CanaryShape.LOWER_ALNUM, CanaryShape.ALNUM);
        String id = shape.draw(new Random(data.consumeLong()));
        assertThat(id).startsWith(shape.prefix()).hasSize(shape.prefix().length() + shape.length());
        assertThat(KeyIds.problem(id)).as("%s", id).isNull();
        assertThat(registry.isEmpty() || registry.stream().anyMatch(real -> real.startsWith(shape.prefix())))
                .as("the prefix is one of the registry's").isTrue();
    }

    @FuzzTest
    void theMostCommonPrefixWins(FuzzedDataProvider data) {
        String body = data.consumeAsciiString(20).replaceAll("[^A-Za-z0-9]", "a");
        List<String> registry = List.of("pk_live_" + body + "1", "pk_live_" + body + "2", "sk_other_" + body);
        assertThat(CanaryShape.learn(registry).prefix()).isEqualTo("pk_live_");
    }
}
