package io.github.deepc.anomaly.testkit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/** Runs dynamic tests here, collecting which failed, so a test can check that a broken plugin is caught. */
final class Outcomes {
    private Outcomes() {
    }

    /** @return the failure message of each check by display name, null for the ones that passed */
    static Map<String, String> run(Stream<? extends DynamicNode> nodes) {
        Map<String, String> out = new LinkedHashMap<>();
        nodes.forEach(n -> collect(n, out));
        return out;
    }

    private static void collect(DynamicNode node, Map<String, String> out) {
        if (node instanceof DynamicContainer c) {
            c.getChildren().forEach(child -> collect(child, out));
        } else if (node instanceof DynamicTest t) {
            try {
                t.getExecutable().execute();
                out.put(t.getDisplayName(), null);
            } catch (AssertionError e) {
                out.put(t.getDisplayName(), String.valueOf(e.getMessage()));
            } catch (Throwable e) {
                out.put(t.getDisplayName(), e.toString());
            }
        }
    }

    /** @return the names of the checks that failed */
    static java.util.List<String> failed(Map<String, String> outcomes) {
        return outcomes.entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
    }
}
