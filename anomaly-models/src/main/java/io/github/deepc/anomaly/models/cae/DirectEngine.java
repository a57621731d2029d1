package io.github.deepc.anomaly.models.cae;

import io.github.deepc.anomaly.models.conv.Activation;
import io.github.deepc.anomaly.models.conv.DirectAutoencoder;
import io.github.deepc.anomaly.models.conv.Stage;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Moves a plain autoencoder ({@link CaeGraph.Head#NONE}) between its SameDiff graph and a {@link DirectAutoencoder}:
 * the stages of a {@link CaeGraph.Spec} and the weights, converted between ND4J's layouts ({@code [kH, kW, in, out]}
 * for a convolution, {@code [kH, kW, out, in]} for a transposed one, see {@link CaeGraph}) and the engine's
 * PyTorch layouts.
 */
final class DirectEngine {
    private DirectEngine() {
    }

    /** @return whether the engine computes this network and loss (plain head, masked MSE) */
    static boolean supports(CaeGraph.Spec spec) {
        return spec.head() == CaeGraph.Head.NONE && spec.reconstruction() == io.github.deepc.anomaly.models.score.PixelLoss.MSE;
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
    static void copyToEngine(SameDiff graph, CaeGraph.Spec spec, DirectAutoencoder net) {
        List<CaeGraph.Layer> layers = layers(spec);
        for (int i = 0; i < layers.size(); i++) {
            CaeGraph.Layer l = layers.get(i);
            float[] nd = graph.getVariable(l.weightName()).getArr().dup('c').data().asFloat();
            float[] bias = graph.getVariable(l.biasName()).getArr().dup('c').data().asFloat();
            net.setParameters(i, toTorch(nd, l), bias);
        }
    }

    /** Copies the engine's weights into the graph. */
    static void copyToGraph(DirectAutoencoder net, CaeGraph.Spec spec, SameDiff graph) {
        List<CaeGraph.Layer> layers = layers(spec);
        for (int i = 0; i < layers.size(); i++) {
            CaeGraph.Layer l = layers.get(i);
            float[][] p = net.parameters(i);
            INDArray w = graph.getVariable(l.weightName()).getArr();
            w.assign(Nd4j.create(toNd4j(p[0], l), w.shape(), DataType.FLOAT));
            INDArray b = graph.getVariable(l.biasName()).getArr();
            b.assign(Nd4j.create(p[1], b.shape(), DataType.FLOAT));
        }
    }

    /**
     * ND4J {@code [k][k][a][b]} to PyTorch {@code [b][a][k][k]} for a convolution ({@code a = in, b = out}) and to
     * {@code [b][a][k][k]} for a transposed one ({@code a = out, b = in}): in both cases the last two ND4J axes swap
     * and move to the front.
     */
    static float[] toTorch(float[] nd, CaeGraph.Layer l) {
        int k = l.kernel();
        int a = l.transposed() ? l.out() : l.in();
        int b = l.transposed() ? l.in() : l.out();
        float[] t = new float[nd.length];
        for (int y = 0; y < k; y++) {
            for (int x = 0; x < k; x++) {
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < b; j++) {
                        t[((j * a + i) * k + y) * k + x] = nd[((y * k + x) * a + i) * b + j];
                    }
                }
            }
        }
        return t;
    }

    /** The inverse of {@link #toTorch}. */
    static float[] toNd4j(float[] torch, CaeGraph.Layer l) {
        int k = l.kernel();
        int a = l.transposed() ? l.out() : l.in();
        int b = l.transposed() ? l.in() : l.out();
        float[] nd = new float[torch.length];
        for (int y = 0; y < k; y++) {
            for (int x = 0; x < k; x++) {
                for (int i = 0; i < a; i++) {
                    for (int j = 0; j < b; j++) {
                        nd[((y * k + x) * a + i) * b + j] = torch[((j * a + i) * k + y) * k + x];
                    }
                }
            }
        }
        return nd;
    }
}
