package io.github.deepc.anomaly.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo at its defaults, end to end, on generated phantoms only (no shared data): detection must work for every
 * anomaly kind and the heat maps must point at the anomalies, so a build without {@code ../shared} still fails when
 * detection breaks.
 */
class DemoTest {
    @TempDir
    Path tmp;

    @Test
    void demoDetectsEveryKindAndItsHeatMapsPointAtTheAnomalies() throws Exception {
        Path out = tmp.resolve("demo");
        CliRun.Result r = CliRun.run("demo", "--out", out.toString(), "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode n = new ObjectMapper().readTree(r.lastLine());
        assertEquals(180, n.get("testImages").asInt());
        JsonNode byKind = n.get("rocAucByKind");
        for (String kind : List.of("fracture", "implant", "lesion")) {
            assertTrue(byKind.get(kind).asDouble() >= 0.90, kind + " ROC-AUC " + byKind.get(kind));
        }
        assertTrue(n.get("rocAuc").asDouble() >= 0.90, "ROC-AUC " + n.get("rocAuc"));
        // the masks cover under 1 % of an image: 30 % of the heat inside them is over 30x what chance would put there
        double inside = n.get("heatmapMassInsideAnomaly").asDouble();
        double area = n.get("anomalyAreaFraction").asDouble();
        assertTrue(inside >= 0.30 && inside >= 30 * area, "heat inside " + inside + ", area " + area);
        assertTrue(n.get("falsePositiveRate").asDouble() <= 0.10, "false alarms " + n.get("falsePositiveRate"));

        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("a random abnormal image scores higher than a random normal one"), "summary in words");
        for (String part : List.of("By kind", "fracture", "Worst false alarms", "Worst misses", "called abnormal",
                "data:image/png;base64,")) {
            assertTrue(html.contains(part), part);
        }
        assertTrue(!html.contains("http://") && !html.contains("https://"), "the report needs no network");
    }
}
