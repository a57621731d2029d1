package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.Bottleneck;
import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.conv.ReconstructionLoss;
import io.github.deepc.anomaly.models.conv.Stage;
import io.github.deepc.anomaly.models.samediff.GraphSupport;
import io.github.deepc.anomaly.models.score.PixelLoss;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves an autoencoder between its SameDiff graph and a {@link DirectAutoencoder}: builds the engine for a
 * {@link CaeGraph.Spec} (stages, bottleneck, loss) and copies the weights, converting the convolutions' weights between
 * ND4J's layouts ({@code [kH, kW, in, out]} for a convolution, {@code [kH, kW, out, in]} for a transposed one, see
 * {@link CaeGraph}) and the engine's PyTorch layouts; dense layers share ND4J's {@code [in, out]}.
 */
final class DirectEngine {
    private DirectEngine() {
    }

    /**
     * @param spec      the network and loss
     * @param height    image height
     * @param width     image width
     * @param maxImages the most images per call
     * @param trainable whether the engine will train
     * @return an engine for the spec, with zero weights
     */
    static DirectAutoencoder create(CaeGraph.Spec spec, int height, int width, int maxImages, boolean trainable) {
        ReconstructionLoss loss = spec.reconstruction() == PixelLoss.BCE ? ReconstructionLoss.BCE
                : ReconstructionLoss.MSE;
        return new DirectAutoencoder(stages(spec), bottleneck(spec), loss, height, width, maxImages, trainable);
    }

    private static Bottleneck bottleneck(CaeGraph.Spec spec) {
        return switch (spec.head()) {
            case NONE -> null;
            case DENSE -> new Bottleneck(false, spec.latent(), 0);
            case VARIATIONAL -> new Bottleneck(true, spec.latent(), spec.beta());
        };
    }

    /**
     * @param spec      the network
     * @param height    image height
     * @param width     image width
     * @param trainable whether the engine will train
     * @return the Java heap bytes one image takes in an engine's working matrices (the same again is native)
     */
    static long heapBytesPerImage(CaeGraph.Spec spec, int height, int width, boolean trainable) {
        return Float.BYTES * DirectAutoencoder.floatsPerImage(stages(spec), bottleneck(spec), height, width, trainable);
    }

    /** @return the engine's stages for the spec's encoder and decoder */
    static List<Stage> stages(CaeGraph.Spec spec) {
        List<Stage> out = new ArrayList<>();
        for (CaeGraph.Layer l : layers(spec)) {
            out.add(new Stage(l.transposed(), l.in(), l.out(), l.kernel(), switch (l.activation()) {
                case RELU -> Activation.RELU;
                case SIGMOID -> Activation.SIGMOID;
                case LINEAR -> Activation.LINEAR;
            }));
        }
        return out;
    }

    private static List<CaeGraph.Layer> layers(CaeGraph.Spec spec) {
        List<CaeGraph.Layer> all = new ArrayList<>(spec.encoder());
        all.addAll(spec.decoder());
        return all;
    }

    /** Copies the graph's weights into the engine. */
    static void copyToEngine(SameDiff graph, CaeGraph.Spec spec, DirectAutoencoder net, int height, int width) {
        List<CaeGraph.Layer> layers = layers(spec);
        for (int i = 0; i < layers.size(); i++) {
            CaeGraph.Layer l = layers.get(i);
            net.setParameters(i, toTorch(values(graph, l.weightName()), l), values(graph, l.biasName()));
        }
        List<CaeGraph.Dense> dense = spec.dense(height, width);
        for (int i = 0; i < dense.size(); i++) {
            CaeGraph.Dense d = dense.get(i);
            net.setDenseParameters(i, values(graph, d.weightName()), values(graph, d.biasName()));
        }
    }

    /** Copies the engine's weights into the graph. */
    static void copyToGraph(DirectAutoencoder net, CaeGraph.Spec spec, SameDiff graph, int height, int width) {
        List<CaeGraph.Layer> layers = layers(spec);
        for (int i = 0; i < layers.size(); i++) {
            CaeGraph.Layer l = layers.get(i);
            float[][] p = net.parameters(i);
            assign(graph, l.weightName(), toNd4j(p[0], l));
            assign(graph, l.biasName(), p[1]);
        }
        List<CaeGraph.Dense> dense = spec.dense(height, width);
        for (int i = 0; i < dense.size(); i++) {
            CaeGraph.Dense d = dense.get(i);
            float[][] p = net.denseParameters(i);
            assign(graph, d.weightName(), p[0]);
            assign(graph, d.biasName(), p[1]);
        }
    }

    private static float[] values(SameDiff graph, String name) {
        return GraphSupport.toFloats(graph.getVariable(name).getArr());
    }

    private static void assign(SameDiff graph, String name, float[] values) {
        INDArray target = graph.getVariable(name).getArr();
        target.assign(Nd4j.create(values, target.shape(), DataType.FLOAT));
    }

    /**
     * ND4J {@code [k][k][a][b]} to PyTorch {@code [b][a][k][k]} for a convolution ({@code a = in, b = out}) and to
     * {@code [b][a][k][k]} for a transposed one ({@code a = out, b = in}): in both cases the last two ND4J axes swap
     * and move to the front.
     */
    static float[] toTorch(float[] nd, CaeGraph.Layer l) {
        return reorder(nd, l, true);
    }

    /** The inverse of {@link #toTorch}. */
    static float[] toNd4j(float[] torch, CaeGraph.Layer l) {
        return reorder(torch, l, false);
    }

    private static float[] reorder(float[] values, CaeGraph.Layer l, boolean toTorch) {
        int k = l.kernel();
        int a = l.transposed() ? l.out() : l.in();
        int b = l.transposed() ? l.in() : l.out();
        float[] out = new float[values.length];
        for (int y = 0; y < k; y++) {
            for (int x = 0; x < k; x++) {
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < b; j++) {
                        int torch = ((j * a + i) * k + y) * k + x;
                        int nd = ((y * k + x) * a + i) * b + j;
                        if (toTorch) {
                            out[torch] = values[nd];
                        } else {
                            out[nd] = values[torch];
                        }
                    }
                }
            }
        }
        return out;
    }
}
