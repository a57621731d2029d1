package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.Stage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.OutputKind;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.models.score.reconstruction.PixelLoss;
import io.github.deepc.anomaly.testkit.TestImages;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Layouts, heads, parameter counts and output shapes of the three autoencoders, and their providers (no training). */
class ArchitectureTest {
    private static final ConvLayout SMALL = new ConvLayout(3, 8, 3, Activation.SIGMOID);

    private static long graphParameters(SameDiff sd) {
        long n = 0;
        for (SDVariable v : sd.variables()) {
            if (v.getVariableType() == VariableType.VARIABLE) {
                n += v.getArr().length();
            }
        }
        return n;
    }

    private static Map<String, INDArray> outputs(SameDiff sd, AutoencoderSpec spec, int n, int size, String... names) {
        Map<String, INDArray> ph = CaePlaceholders.of(TestImages.blobs(n, size, 1, 3));
        if (spec.variational()) {
            ph.put(CaeGraph.NOISE, Nd4j.zeros(DataType.FLOAT, n, spec.latent()));
        }
        return sd.output(ph, names);
    }

    @Test
    void customLayoutsHaveTheDocumentedStagesAndCounts() {
        // the reference is the custom layout depth 3, channels 32, kernel 3, sigmoid
        assertEquals(ConvLayout.REFERENCE, new ConvLayout(3, 32, 3, Activation.SIGMOID));
        assertEquals(185_217L, AutoencoderSpec.plain(ConvLayout.REFERENCE).parameterCount(64, 64));
        // depth 4, channels 8, kernel 5: 1-8-16-32-64 and back, 25 weights per channel pair plus biases
        ConvLayout deep = new ConvLayout(4, 8, 5, Activation.LINEAR);
        AutoencoderSpec spec = AutoencoderSpec.plain(deep);
        assertEquals(134_977L, spec.parameterCount(32, 32));
        assertEquals(List.of(1, 8, 16, 32), spec.encoder().stream().map(Stage::in).toList());
        assertEquals(List.of(64, 32, 16, 8), spec.decoder().stream().map(Stage::in).toList());
        assertEquals(Activation.LINEAR, spec.decoder().get(3).activation());
        assertEquals("dec4", spec.stageName(7));
        assertEquals(16, deep.stride());
        assertEquals(64, deep.codeChannels());
        SameDiff sd = CaeGraph.build(spec, 32, 48, new SplittableRandom(1)); // height 32, width 48
        assertEquals(134_977L, graphParameters(sd));
        INDArray out = sd.outputSingle(CaePlaceholders.of(TestImages.random(2, 48, 32, 5)), CaeGraph.OUTPUT);
        assertArrayEquals(new long[] {2, 1, 32, 48}, out.shape()); // 5x5 kernels crop back to the input size
        // depth 2 and 5 build at the smallest sides they allow
        for (int depth : new int[] {2, 5}) {
            ConvLayout l = new ConvLayout(depth, 2, 3, Activation.SIGMOID);
            SameDiff g = CaeGraph.build(AutoencoderSpec.plain(l), l.stride(), 2 * l.stride(), new SplittableRandom(2));
            Map<String, INDArray> ph = CaePlaceholders.of(TestImages.random(3, 2 * l.stride(), l.stride(), 4));
            assertArrayEquals(new long[] {3, 1, l.stride(), 2 * l.stride()}, g.outputSingle(ph, CaeGraph.OUTPUT).shape());
        }
        assertThrows(IllegalArgumentException.class, () -> CaeGraph.build(spec, 24, 32, (SplittableRandom) null), "24 is no multiple of 16");
    }

    @Test
    void bottleneckHasADenseCodeOfTheLatentSize() {
        AutoencoderSpec spec = AutoencoderSpec.dense(SMALL, 16);
        // convolutions 11,745; flattened 32 channels x 4 x 4 = 512: 512*16+16 to the code, 16*512+512 back
        assertEquals(11_745L, AutoencoderSpec.plain(SMALL).parameterCount(32, 32));
        assertEquals(28_657L, spec.parameterCount(32, 32));
        assertEquals(List.of("bottleneck", "expand"), spec.denseNames());
        SameDiff sd = CaeGraph.build(spec, 32, 32, new SplittableRandom(1));
        assertEquals(28_657L, graphParameters(sd));
        assertEquals(spec.parameterNames(32, 32).size(), sd.variables().stream()
                .filter(v -> v.getVariableType() == VariableType.VARIABLE).count());
        Map<String, INDArray> res = outputs(sd, spec, 3, 32, CaeGraph.OUTPUT, CaeGraph.LATENT);
        assertArrayEquals(new long[] {3, 1, 32, 32}, res.get(CaeGraph.OUTPUT).shape());
        assertArrayEquals(new long[] {3, 16}, res.get(CaeGraph.LATENT).shape());
        assertEquals(28_657L, new BottleneckCaeModel(SMALL, 16, TrainingOptions.of(1, 4, 1e-3)).parameterCount(32, 32));
        // the dense part grows with the input: at 64x64 the flattened code has 2,048 values
        assertEquals(11_745L + 2048 * 16 + 16 + 16 * 2048 + 2048, spec.parameterCount(64, 64));
    }

    @Test
    void vaeHasMeanLogVarianceAndPerImageKl() {
        AutoencoderSpec spec = AutoencoderSpec.variational(SMALL, 16, PixelLoss.BCE, 0.5);
        // bottleneck plus a second 512x16 head for the log-variance
        assertEquals(36_865L, spec.parameterCount(32, 32));
        assertEquals(List.of("mu", "logvar", "expand"), spec.denseNames());
        SameDiff sd = CaeGraph.build(spec, 32, 32, new SplittableRandom(1));
        assertEquals(36_865L, graphParameters(sd));
        Map<String, INDArray> res = outputs(sd, spec, 3, 32, CaeGraph.OUTPUT, CaeGraph.LATENT, CaeGraph.LOG_VARIANCE,
                CaeGraph.KL);
        assertArrayEquals(new long[] {3, 1, 32, 32}, res.get(CaeGraph.OUTPUT).shape());
        assertArrayEquals(new long[] {3, 16}, res.get(CaeGraph.LATENT).shape());
        assertArrayEquals(new long[] {3}, res.get(CaeGraph.KL).shape());
        // KL = -0.5 * sum(1 + logvar - mu^2 - exp(logvar)) per image
        for (int b = 0; b < 3; b++) {
            double kl = 0;
            for (int j = 0; j < 16; j++) {
                double mu = res.get(CaeGraph.LATENT).getDouble(b, j);
                double lv = res.get(CaeGraph.LOG_VARIANCE).getDouble(b, j);
                kl += -0.5 * (1 + lv - mu * mu - Math.exp(lv));
            }
            assertEquals(kl, res.get(CaeGraph.KL).getDouble(b), 1e-5 * Math.max(1, kl));
        }
    }

    @Test
    void trainingBatchesAreChunkedToTheHeapBudget() {
        assertEquals(32, ConvAutoencoder.trainingChunk(32, 1_000, 1_000_000), "fits: one pass per batch");
        assertEquals(12, ConvAutoencoder.trainingChunk(32, 1_000, 12_500), "as many images as fit");
        assertEquals(1, ConvAutoencoder.trainingChunk(32, 1_000_000, 10), "at least one image per pass");
        // the reference network at 256x256: about 48 MB per training image, so 32 images exceed a 1 GiB budget
        long perImage = DirectBackend.heapBytesPerImage(AutoencoderSpec.plain(ConvLayout.REFERENCE), 256, 256, true);
        int chunk = ConvAutoencoder.trainingChunk(32, perImage, 1L << 30);
        assertTrue(chunk >= 1 && chunk < 32 && chunk * perImage <= 1L << 30, "chunk " + chunk + " of " + perImage);
    }

    @Test
    void invalidLayoutsAndCombinationsAreRejectedWithTheirReason() {
        assertMessage(() -> new ConvLayout(3, 8, 4, Activation.SIGMOID), "kernel must be 3 or 5");
        assertMessage(() -> new ConvLayout(6, 8, 3, Activation.SIGMOID), "depth");
        assertMessage(() -> new ConvLayout(1, 8, 3, Activation.SIGMOID), "depth");
        assertMessage(() -> new ConvLayout(3, 0, 3, Activation.SIGMOID), "channels");
        assertMessage(() -> AutoencoderSpec.variational(new ConvLayout(3, 8, 3, Activation.LINEAR),
                8, PixelLoss.BCE, 1),
                "output-activation=sigmoid");
        assertMessage(() -> AutoencoderSpec.dense(SMALL, 0), "latent");
        assertMessage(() -> new CaeModel("reference", SMALL, TrainingOptions.of(1, 1, 1e-3)), "architecture=custom");
        assertMessage(() -> new CaeModel("resnet", SMALL, TrainingOptions.of(1, 1, 1e-3)), "resnet");
        assertMessage(() -> new TrainingOptions(5, 8, 1e-3, 0.0, 2), "validation");
        assertMessage(() -> new TrainingOptions(5, 8, 1e-3, 0.6, 0), "validation fraction");
        assertEquals("custom", new CaeModel("custom", SMALL, TrainingOptions.of(1, 1, 1e-3)).architecture());
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String word) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(word), "message '" + ex.getMessage() + "' should mention " + word);
    }

    private static ModelProvider provider(String id) {
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class)) {
            if (p.id().equals(id)) {
                return p;
            }
        }
        return null;
    }

    @Test
    void providersAreRegisteredWithTheirOutputsParametersAndDefaults() {
        ModelProvider cae = provider("cae");
        ModelProvider bottleneck = provider("bottleneck-cae");
        ModelProvider vae = provider("vae");
        assertNotNull(bottleneck, "bottleneck-cae registered in META-INF/services");
        assertNotNull(vae, "vae registered in META-INF/services");
        assertEquals(Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT), bottleneck.outputs());
        assertEquals(Set.of(OutputKind.RECONSTRUCTION, OutputKind.LATENT, OutputKind.KL_DIVERGENCE), vae.outputs());
        assertEquals(List.of("depth", "channels", "kernel", "output-activation", "latent", "epochs", "batch-size",
                "learning-rate", "validation-fraction", "patience", "engine", "inference-batch"),
                bottleneck.parameters().stream().map(ParameterSpec::name).toList());
        assertEquals(List.of("depth", "channels", "kernel", "output-activation", "latent", "reconstruction", "beta",
                "epochs", "batch-size", "learning-rate", "validation-fraction", "patience", "engine", "inference-batch"),
                vae.parameters().stream().map(ParameterSpec::name).toList());

        try (AnomalyModel m = bottleneck.create(Map.of())) {
            BottleneckCaeModel b = (BottleneckCaeModel) m;
            assertEquals(new ConvLayout(3, 16, 3, Activation.SIGMOID), b.layout());
            assertEquals(64, b.latent());
            assertEquals(new TrainingOptions(20, 32, 1e-3, 0.0, 0), b.training());
        }
        Map<String, String> given = new HashMap<>();
        given.put("depth", "4");
        given.put("kernel", "5");
        given.put("latent", "8");
        given.put("reconstruction", "mse");
        given.put("beta", "0.5");
        given.put("output-activation", "linear");
        given.put("validation-fraction", "0.2");
        given.put("patience", "3");
        try (AnomalyModel m = vae.create(given)) {
            VaeModel v = (VaeModel) m;
            assertEquals(new ConvLayout(4, 16, 5, Activation.LINEAR), v.layout());
            assertEquals(8, v.latent());
            assertEquals(PixelLoss.MSE, v.reconstruction());
            assertEquals(0.5, v.beta());
            assertEquals(new TrainingOptions(20, 32, 1e-3, 0.2, 3), v.training());
            assertTrue(v.toString().contains("latent=8") && v.toString().contains("patience=3"), v.toString());
        }
        try (AnomalyModel m = vae.create(Map.of())) {
            assertEquals(PixelLoss.MSE, ((VaeModel) m).reconstruction());
            assertEquals(0.001, ((VaeModel) m).beta());
        }
        try (AnomalyModel m = cae.create(Map.of("architecture", "custom", "depth", "4", "channels", "8"))) {
            CaeModel c = (CaeModel) m;
            assertEquals("custom", c.architecture());
            assertEquals(new ConvLayout(4, 8, 3, Activation.SIGMOID), c.layout());
        }
        assertMessage(() -> cae.create(Map.of("depth", "4")), "architecture=custom");
        assertMessage(() -> vae.create(Map.of("output-activation", "linear", "reconstruction", "bce")), "sigmoid");
        assertMessage(() -> bottleneck.create(Map.of("kernel", "4")), "kernel");
        assertMessage(() -> bottleneck.create(Map.of("patience", "2")), "validation");
    }
}
