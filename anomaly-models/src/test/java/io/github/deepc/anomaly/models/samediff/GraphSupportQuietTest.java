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
    @Test
    void gradientsAreBuiltWithoutConsoleNoiseAndStdoutIsRestored() {
        PrintStream before = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream mine = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(mine);
        try {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 2);
            SDVariable w = sd.var("w", Nd4j.ones(DataType.FLOAT, 2, 1));
            sd.mean("loss", x.mmul(w));
            sd.setLossVariables("loss");
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
