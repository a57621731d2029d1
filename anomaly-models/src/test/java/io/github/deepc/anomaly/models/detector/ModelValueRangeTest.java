package io.github.deepc.anomaly.models.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.detector.AnomalyDetector;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ValueRange;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.core.preprocessing.ValueRanges;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.models.TestPipelines;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Models declare the pixel value range they need, stages the range they output; a detector whose pipeline does not
 * fit its model is refused when it is built, before any image is read, naming the model, its parameter and the stage
 * that fixes it.
 */
class ModelValueRangeTest {
    private final PluginRegistry registry = PluginRegistry.defaultRegistry();

    private static List<PluginSpec> stages(PluginSpec... s) {
        return List.of(s);
    }

    private static final PluginSpec RESIZE = PluginSpec.of("resize", "size", "16");
    private static final PluginSpec PAD = PluginSpec.of("pad", "size", "16");

    private PluginException refused(List<PluginSpec> pipeline, PluginSpec model) {
        return assertThrows(PluginException.class, () -> AnomalyDetector.builder().registry(registry).pipeline(pipeline)
                .model(model).scorer(registry.defaultScorer(model.id(), null).orElseThrow()).build(), model + " on " + pipeline);
    }

    private void accepted(List<PluginSpec> pipeline, PluginSpec model) {
        try (AnomalyDetector d = AnomalyDetector.builder().registry(registry).pipeline(pipeline).model(model)
                .scorer(registry.defaultScorer(model.id(), null).orElseThrow()).build()) {
            assertEquals(model.id(), d.config().model().id());
        }
    }

    @Test
    void aSigmoidAutoencoderOnAnEqualisedPipelineWithoutNormalizeIsRefusedWithAOneLineFix() {
        PluginException e = refused(stages(PluginSpec.of("equalize"), RESIZE, PAD), PluginSpec.of("cae"));
        assertEquals("model 'cae' needs pixel values in [0, 1] (parameter output-activation=sigmoid), but the pipeline"
                + " gives [0, 255] (set by stage 'equalize'); end the pipeline with stage 'normalize range=unit'",
                e.getMessage());
        for (String model : List.of("bottleneck-cae", "vae")) {
            String m = refused(stages(PluginSpec.of("clahe"), RESIZE, PAD), PluginSpec.of(model)).getMessage();
            assertTrue(m.startsWith("model '" + model + "' needs pixel values in [0, 1]") && m.contains("stage 'clahe'")
                    && !m.contains("\n"), m);
        }
    }

    @Test
    void aGanIsCheckedAgainstItsRangeParameter() {
        List<PluginSpec> symmetric = stages(RESIZE, PAD, PluginSpec.of("normalize", "range", "symmetric"));
        PluginException e = refused(symmetric, PluginSpec.of("dcgan"));
        assertEquals("model 'dcgan' needs pixel values in [0, 1] (parameter range=unit), but the pipeline gives [-1, 1]"
                + " (set by stage 'normalize'); end the pipeline with stage 'normalize range=unit'", e.getMessage());
        accepted(symmetric, PluginSpec.of("bigan", "range", "symmetric"));
        // [0, 1] lies in [-1, 1]: a tanh generator can produce it
        accepted(TestPipelines.basic(16), PluginSpec.of("alpha-gan", "range", "symmetric"));
        String m = refused(stages(PluginSpec.of("equalize"), RESIZE, PAD), PluginSpec.of("alpha-gan", "range", "symmetric"))
                .getMessage();
        assertTrue(m.contains("[-1, 1] (parameter range=symmetric)") && m.endsWith("'normalize range=symmetric'"), m);
    }

    @Test
    void stagesAfterTheNormalisationThatLeaveTheRangeAreNamed() {
        String m = refused(stages(RESIZE, PluginSpec.of("normalize"), PluginSpec.of("pad", "size", "16", "value", "-1")),
                PluginSpec.of("cae")).getMessage();
        assertTrue(m.contains("the pipeline gives [-1, 1] (set by stage 'pad')"), m);
        // training-only brightness changes after normalize leave [0, 1] too: 1.1 x by default
        m = refused(stages(RESIZE, PAD, PluginSpec.of("normalize"), PluginSpec.of("augment")), PluginSpec.of("cae"))
                .getMessage();
        assertTrue(m.contains("the pipeline gives [0, 1.1] (set by stage 'augment')"), m);
        accepted(stages(RESIZE, PAD, PluginSpec.of("normalize"), PluginSpec.of("augment", "brightness-probability", "0")),
                PluginSpec.of("cae"));
    }

    @Test
    void fittingPipelinesUnknownRangesAndModelsWithoutARangeAreAccepted() {
        accepted(TestPipelines.basic(16), PluginSpec.of("cae"));
        accepted(TestPipelines.equalized(16), PluginSpec.of("vae"));
        // a linear output reconstructs any range
        accepted(stages(PluginSpec.of("equalize"), RESIZE, PAD),
                PluginSpec.of("cae", "architecture", "custom", "output-activation", "linear"));
        // standardize declares no range (z-scores are unbounded): unknown, not checked; so is a pipeline of no stage
        accepted(stages(RESIZE, PAD, PluginSpec.of("standardize")), PluginSpec.of("cae"));
        accepted(stages(), PluginSpec.of("cae"));
        // models that take any range
        accepted(stages(PluginSpec.of("equalize"), RESIZE, PAD), PluginSpec.of("pca"));
        accepted(stages(PluginSpec.of("equalize"), RESIZE, PAD), PluginSpec.of("deep-svdd"));
    }

    @Test
    void thePipelineRangeFollowsTheStagesDeclarations() {
        assertEquals(Optional.of(new ValueRanges.Output(ValueRange.BYTE, "equalize")),
                ValueRanges.output(stages(PluginSpec.of("equalize"), RESIZE, PAD), registry), "resize and pad keep it");
        assertEquals(Optional.of(new ValueRanges.Output(new ValueRange(0, 255), "clahe")),
                ValueRanges.output(stages(PluginSpec.of("median"), PluginSpec.of("clahe"), PluginSpec.of("segment")),
                        registry), "segment adds 0s, already in the range");
        assertEquals(Optional.empty(), ValueRanges.output(stages(RESIZE, PAD), registry), "decoded images: unknown");
        assertEquals(Optional.empty(), ValueRanges.output(stages(PluginSpec.of("histogram-match")), registry),
                "a reference not learned yet: unknown");
        assertEquals(Optional.of(new ValueRanges.Output(new ValueRange(0.1f, 0.9f), "histogram-match")),
                ValueRanges.output(stages(PluginSpec.of("histogram-match", "reference", "0.1,0.5,0.9")), registry));
        assertEquals(List.of("normalize range=unit"), ValueRanges.fixes(ValueRange.UNIT, registry));
        assertEquals(List.of("clahe depth=8", "equalize", "normalize range=unit"),
                ValueRanges.fixes(new ValueRange(0, Double.POSITIVE_INFINITY), registry));
    }

    /** A detector saved before ranges were checked still loads (with a warning) and scores; building it anew is refused. */
    @Test
    void aSavedDetectorWhosePipelineNoLongerFitsStillLoads(@TempDir Path dir) throws IOException {
        Random rnd = new Random(3);
        List<GrayImage> normals = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            float[] p = new float[16 * 16];
            for (int j = 0; j < p.length; j++) {
                p[j] = rnd.nextFloat();
            }
            normals.add(GrayImage.of(16, 16, p, null));
        }
        Path good = dir.resolve("good.detector");
        try (AnomalyDetector d = AnomalyDetector.builder().registry(registry).pipeline(TestPipelines.basic(16))
                .model(PluginSpec.of("cae", "epochs", "1", "batch-size", "4")).scorer(PluginSpec.of("masked-mse")).build()) {
            d.fitImages(normals, ProgressListener.NONE);
            d.save(good);
        }
        // what an older version could save: the same detector with equalize in place of the final normalize
        Path old = dir.resolve("old.detector");
        rewriteManifest(good, old, json -> json.replaceAll("\"id\"\\s*:\\s*\"normalize\"", "\"id\":\"equalize\""));
        try (AnomalyDetector d = AnomalyDetector.load(old, registry)) {
            assertEquals("equalize", d.config().pipeline().get(2).id());
            assertTrue(Double.isFinite(d.score(normals.get(0)).score()));
            PluginException e = assertThrows(PluginException.class, () -> AnomalyDetector.create(d.config(), registry));
            assertTrue(e.getMessage().contains("set by stage 'equalize'"), e.getMessage());
        }
    }

    private static void rewriteManifest(Path in, Path out, java.util.function.UnaryOperator<String> edit) throws IOException {
        try (ZipInputStream zin = new ZipInputStream(Files.newInputStream(in));
             OutputStream os = Files.newOutputStream(out); ZipOutputStream zout = new ZipOutputStream(os)) {
            boolean edited = false;
            for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
                byte[] bytes = readAll(zin);
                if (e.getName().equals("detector.json")) {
                    String json = new String(bytes, StandardCharsets.UTF_8);
                    String changed = edit.apply(json);
                    edited = !changed.equals(json);
                    bytes = changed.getBytes(StandardCharsets.UTF_8);
                }
                zout.putNextEntry(new ZipEntry(e.getName()));
                zout.write(bytes);
                zout.closeEntry();
            }
            assertTrue(edited, "the manifest names the normalize stage");
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        in.transferTo(b);
        return b.toByteArray();
    }
}
