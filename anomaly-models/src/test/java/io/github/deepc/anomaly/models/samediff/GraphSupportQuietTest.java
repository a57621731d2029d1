package io.github.deepc.anomaly.models.samediff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** SameDiff's console lines are kept out of stdout, and stdout is the caller's own stream again afterwards. */
class GraphSupportQuietTest {
    private static SameDiff tinyGraph() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
        SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 2, 1));
        sd.mean("loss", x.mmul(w));
        sd.setLossVariables("loss");
        return sd;
    }

    @Test
    void withoutTheFilterSameDiffPrintsToStdout() {
        PrintStream before = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            tinyGraph().createGradFunction();
        } finally {
            System.setOut(before);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("Added differentiated op"),
                "ND4J 1.0.0-M2.1 prints these lines: the other test would prove nothing otherwise");
    }

    @Test
    void gradientsAreBuiltWithoutConsoleNoiseAndStdoutIsRestored() {
        PrintStream before = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream mine = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(mine);
        try {
            SameDiff sd = tinyGraph();
            GraphSupport.createQuietGradients(sd);
            assertNotNull(sd.getFunction("grad"), "the gradient function was built");
            assertSame(mine, System.out, "the caller's stream is back");
            System.out.println("after");
        } finally {
            System.setOut(before);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(!out.contains("Added differentiated op"), out);
        assertEquals("after" + System.lineSeparator(), out, "other output is untouched");
    }
}
