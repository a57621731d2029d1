package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.net.ParameterStore;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The reference backend: the SameDiff graph of {@link CaeGraph}, built with a copy of the store's values (in ND4J's
 * layouts); {@link #syncToStore()} copies them back after SameDiff trained them. Used with {@code engine=samediff},
 * and as what the direct engine is tested against.
 */
final class SameDiffBackend implements AutoencoderBackend {
    private final AutoencoderSpec spec;
    private final ParameterStore store;
    private final SameDiff graph;
    private final int height;
    private final int width;

    SameDiffBackend(AutoencoderSpec spec, ParameterStore store, int height, int width) {
        this.spec = spec;
        this.store = store;
        this.height = height;
        this.width = width;
        this.graph = CaeGraph.build(spec, height, width, store);
    }

    /** @return the graph, for {@code SameDiff.fit} */
    SameDiff graph() {
        return graph;
    }

    @Override
    public int maxImages() {
        return ConvAutoencoder.INFER_BATCH;
    }

    @Override
    public DirectAutoencoder.Outputs infer(float[] pixels, int n) {
        List<String> names = new ArrayList<>(List.of(CaeGraph.OUTPUT));
        if (spec.bottleneck() != null) {
            names.add(CaeGraph.LATENT);
        }
        if (spec.variational()) {
            names.add(CaeGraph.KL);
        }
        // z = mu at inference
        Map<String, INDArray> res = graph.output(placeholders(pixels, null, new float[n * spec.latent()], n),
                names.toArray(new String[0]));
        return new DirectAutoencoder.Outputs(GraphSupport.toFloats(res.get(CaeGraph.OUTPUT)),
                spec.bottleneck() == null ? null : GraphSupport.toFloats(res.get(CaeGraph.LATENT)),
                spec.variational() ? GraphSupport.toFloats(res.get(CaeGraph.KL)) : null);
    }

    @Override
    public double loss(float[] pixels, float[] masks, float[] noise, int n) {
        return graph.output(placeholders(pixels, masks, noise, n), CaeGraph.LOSS).get(CaeGraph.LOSS).getDouble(0);
    }

    private Map<String, INDArray> placeholders(float[] pixels, float[] masks, float[] noise, int n) {
        long[] shape = {n, 1, height, width};
        int px = n * height * width;
        Map<String, INDArray> ph = new HashMap<>();
        ph.put(CaeGraph.INPUT, Nd4j.create(java.util.Arrays.copyOf(pixels, px), shape, DataType.FLOAT));
        if (masks != null) {
            ph.put(CaeGraph.MASK, Nd4j.create(java.util.Arrays.copyOf(masks, px), shape, DataType.FLOAT));
        }
        if (spec.variational()) {
            int k = spec.latent();
            ph.put(CaeGraph.NOISE, Nd4j.create(java.util.Arrays.copyOf(noise, n * k), new long[] {n, k},
                    DataType.FLOAT));
        }
        return ph;
    }

    @Override
    public void syncToStore() {
        CaeGraph.copyToStore(graph, spec, store);
    }

    @Override
    public void parametersChanged() {
        CaeGraph.copyToGraph(store, spec, graph);
    }

    @Override
    public void close() {
        GraphSupport.release(graph);
    }
}
