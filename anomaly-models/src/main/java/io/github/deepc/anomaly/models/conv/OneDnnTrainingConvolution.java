package io.github.deepc.anomaly.models.conv;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_data_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_backward_weights_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_logistic_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_tanh_use_dst_for_bwd;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_equal;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_diff_weights_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;

import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.javacpp.FloatPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training passes of one stride-2 convolution {@link Stage} by oneDNN's primitives: forward the whole stage (bias
 * and activation fused in, the result left channels-last for a next convolution to read, as in
 * {@link OneDnnConvolution}) or the product alone (for a layer that keeps its logits), and backward the activation's
 * derivative, the weight and bias gradients and the input gradient.
 *
 * <p>Why: on the column path a training step gathers a column matrix nine times the input's size, multiplies it,
 * and scatters the input gradient's columns back. On Deep SVDD's stages at 32 images that took 1.0, 2.0 and 1.5 ms per
 * stage forward and backward, where oneDNN's primitives with the reorders to and from channels-last take 0.3, 1.2 and
 * 1.3 ms; Deep SVDD's training went from 2258-2329 to 3855-4022 images/s on this change alone
 * (anomaly-benchmarks/README.md).
 *
 * <p>The backward pass of a whole stage stays channels-last from end to end: it takes the gradient with respect to the
 * activations either as a next convolution's pending channels-last input gradient ({@link NativeMatrix#channelsLast})
 * or from the heap copy (reordered once), applies the activation's derivative from the activations the forward pass
 * left channels-last (oneDNN's element-wise backward primitive), sums the bias gradient in the weight-gradient
 * primitive, and can leave its own input gradient channels-last for a previous convolution to take the same way
 * ({@link #backward(NativeMatrix, NativeMatrix, float[], NativeMatrix, int)}). A chain of convolutions then never
 * reorders its activations or gradients into the engine's layout or copies them to the heap: Deep SVDD's training step
 * went from 4.1-5.0 to 3.2-3.4 ms for 32 images with this alone (anomaly-benchmarks/README.md). A pass of the product
 * alone takes the gradient with respect to the pre-activations from the heap, where Java applied the derivative and
 * summed the bias gradient.
 *
 * <p>Each pass keeps its own channels-last copy of the input for the weight gradient (or reads the previous
 * convolution's channels-last result, which stays until that convolution's next pass), so the caller may change the
 * input's heap copy before the backward pass. Results equal the column path's to float rounding (the sums run in
 * another order); for a given image count, thread count and CPU they are the same bits every time. One set of
 * primitives is built per image count and kept. Transposed stages keep the column path (oneDNN 2.5's deconvolution is
 * slower than it, {@link OneDnnConvolution}). Not thread-safe, like the layer that owns it.
 */
final class OneDnnTrainingConvolution extends OneDnnStage<OneDnnTrainingConvolution.Pass> {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnnTrainingConvolution.class);
    /** The pass of the latest {@link #forward}, which {@link #backward} belongs to, or {@code null}. */
    private Pass latest;
    /** Whether whole passes sum the bias gradient (off for a bias held at zero); fixed before the first pass. */
    private boolean biasGradients = true;

    /**
     * @param stage the stage, a convolution
     * @param inH   input height
     * @param inW   input width
     * @throws IllegalArgumentException for a transposed stage
     */
    OneDnnTrainingConvolution(Stage stage, int inH, int inW) {
        super(stage, inH, inW);
        if (!supports(stage)) {
            throw new IllegalArgumentException("oneDNN trains only convolutions of kernels 2 and more here, got "
                    + stage);
        }
    }

    /**
     * @return whether this class trains the stage: convolutions with kernels of 2 and more. Transposed stages keep the
     *         column path, and so do 1x1 kernels: oneDNN 2.5's weight gradient of a stride-2 1x1 convolution on
     *         channels-last data corrupted the native heap (glibc aborted within a few hundred random small stages in a
     *         stress run; every other kernel from 2 to 7 ran thousands clean)
     */
    static boolean supports(Stage stage) {
        return !stage.transposed() && stage.kernel() > 1;
    }

    /** @return the oneDNN element-wise algorithm that computes an activation's derivative from its result, or null */
    static Integer derivativeFromResult(Activation a) {
        return switch (a) {
            case RELU, LEAKY_RELU, LEAKY_RELU_0_2 -> dnnl_eltwise_relu_use_dst_for_bwd;
            case TANH -> dnnl_eltwise_tanh_use_dst_for_bwd;
            case SIGMOID -> dnnl_eltwise_logistic_use_dst_for_bwd;
            case LINEAR -> null;
        };
    }

    /**
     * Stops whole passes from summing the bias gradient, for a bias held at zero.
     *
     * @throws IllegalStateException after the first pass (its primitives are built with or without it)
     */
    void withoutBiasGradients() {
        if (latest != null) {
            throw new IllegalStateException("the bias gradient is chosen before the first pass of " + stage);
        }
        biasGradients = false;
    }

    /** {@inheritDoc} Keeps what {@link #backward} needs. */
    @Override
    void forward(NativeMatrix input, NativeMatrix weights, float[] bias, NativeMatrix output, int n) {
        boolean whole = bias != null;
        latest = pass(2 * n + (whole ? 1 : 0), key -> new Pass(n, whole));
        latest.forward(input, weights, bias, output, weightsVersion());
    }

    /**
     * @return whether the latest forward pass was the whole stage, whose backward pass takes the gradient with respect
     *         to the activations and applies the derivative and sums the bias gradient itself; else the caller does
     *         both in Java and hands over the gradient with respect to the pre-activations
     */
    boolean activatesNatively() {
        return latest != null && latest.whole;
    }

    /**
     * The gradients of the latest {@link #forward}'s pass, the input gradient into a heap array.
     *
     * @param outputGrad the gradient with respect to the activations ({@link #activatesNatively()}) or else to the
     *                   pre-activations, {@code [out][n][outH][outW]}: its heap copy (pushed here) or, for the
     *                   activations, a next convolution's pending channels-last input gradient (taken over)
     * @param weightGrad receives the weight gradient natively ({@code [out][in][k][k]}; the caller pulls it), or
     *                   {@code null} when not wanted (then no bias gradient either)
     * @param biasGrad   receives the bias gradient of a whole pass (when summed: not {@link #withoutBiasGradients}),
     *                   or {@code null}
     * @param inputGrad  receives the input gradient ({@code [in][n][inH][inW]}), or {@code null} when not wanted
     * @param n          images of the latest forward pass
     */
    void backward(NativeMatrix outputGrad, NativeMatrix weightGrad, float[] biasGrad, float[] inputGrad, int n) {
        latest(n).backward(outputGrad, weightGrad, biasGrad, inputGrad, null, weightsVersion());
    }

    /**
     * As {@link #backward(NativeMatrix, NativeMatrix, float[], float[], int)}, but leaves the input gradient in
     * {@code inputGrad} as a pending channels-last result ({@link NativeMatrix#channelsLastResult}): a previous whole
     * convolution takes it over as it stands, anything else reading the matrix gets it reordered back.
     *
     * @param inputGrad receives the input gradient, {@code [in][n][inH][inW]}
     */
    void backward(NativeMatrix outputGrad, NativeMatrix weightGrad, float[] biasGrad, NativeMatrix inputGrad, int n) {
        latest(n).backward(outputGrad, weightGrad, biasGrad, null, inputGrad, weightsVersion());
    }

    private Pass latest(int n) {
        if (latest == null || latest.n != n) {
            throw new IllegalStateException("the backward pass over " + n + " images does not follow a forward pass "
                    + "over as many");
        }
        return latest;
    }

    @Override
    public void close() {
        super.close();
        latest = null;
    }

    /** The primitives and buffers for one image count. */
    final class Pass implements OneDnnStage.Pass {
        private final OneDnn objects = new OneDnn();
        private final int n;
        private final boolean whole;
        private final String what;
        private final dnnl_primitive forward;
        private final dnnl_primitive weightGradient;
        private final dnnl_primitive inputGradient;
        /** The activation's derivative from the activations, or {@code null} (a pass of the product, or linear). */
        private final dnnl_primitive derivative;
        private final dnnl_primitive toChannelsLast;
        private final dnnl_primitive outputFromChannelsLast;
        private final dnnl_primitive gradToChannelsLast;
        private final dnnl_primitive inputGradFromChannelsLast;
        private final dnnl_primitive forwardWeightReorder;
        /** {@code null} where the input gradient reads the forward pass's weight format. */
        private final dnnl_primitive backwardWeightReorder;
        private final dnnl_primitive weightGradReorder;
        private final dnnl_memory engineInput;
        private final dnnl_memory engineOutput;
        private final dnnl_memory engineOutputGrad;
        private final dnnl_memory engineInputGrad;
        private final dnnl_memory engineWeights;
        private final dnnl_memory engineWeightGrad;
        private final dnnl_memory srcMemory;
        /**
         * The gradient as it arrives, channels-last: with respect to the activations (the derivative's input) in a
         * whole pass with an activation, else the gradient the weight and input gradients read. Bound to
         * {@link #arrivingBuffer} or to a next convolution's pending input gradient.
         */
        private final dnnl_memory arrivingGrad;
        private final FloatPointer arrivingBuffer;
        /** The pass's own channels-last copy of the input, unless it reads a previous convolution's result. */
        private final FloatPointer srcBuffer;
        /** The activations channels-last (a whole pass's result, read by a next convolution), else the product. */
        private final FloatPointer dstBuffer;
        /** The bias, copied in at every pass, or {@code null} for a pass of the product alone. */
        private final FloatPointer biasValues;
        /** The bias gradient of a whole pass, or {@code null} where none is summed. */
        private final FloatPointer biasGradValues;
        /** The input gradient channels-last, as the input-gradient primitive writes it. */
        private final FloatPointer inputGradBuffer;
        /** The input gradient in the engine's layout, copied to the caller's array. */
        private final FloatPointer inputGradValues;
        private final dnnl_exec_arg_t inputArgs;
        private final dnnl_exec_arg_t outputArgs;
        private final dnnl_exec_arg_t gradArgs;
        private final dnnl_exec_arg_t inputGradArgs;
        private final dnnl_exec_arg_t forwardWeightArgs;
        private final dnnl_exec_arg_t backwardWeightArgs;
        private final dnnl_exec_arg_t weightGradArgs;
        private final dnnl_exec_arg_t forwardArgs;
        private final dnnl_exec_arg_t derivativeArgs;
        private final dnnl_exec_arg_t weightGradientArgs;
        private final dnnl_exec_arg_t inputGradientArgs;
        private long reorderedVersion = -1;

        Pass(int n, boolean whole) {
            this.n = n;
            this.whole = whole;
            what = stage + " over " + n + " images (training" + (whole ? ")" : ", pre-activations)");
            int cin = stage.in();
            int cout = stage.out();
            int k = stage.kernel();
            long[] strides = {2, 2};
            long[] padLeft = {(k - 1) / 2, (k - 1) / 2};
            long[] padRight = {padRight(stage), padRight(stage)};
            dnnl_memory_desc_t src = OneDnn.byTag(dnnl_nhwc, n, cin, inH, inW);
            dnnl_memory_desc_t dst = OneDnn.byTag(dnnl_nhwc, n, cout, outH, outW);
            dnnl_memory_desc_t anyWeights = OneDnn.byTag(dnnl_format_tag_any, cout, cin, k, k);
            dnnl_memory_desc_t engineWeightDesc = OneDnn.byTag(dnnl_oihw, cout, cin, k, k);
            dnnl_memory_desc_t biasDesc = whole ? OneDnn.byTag(dnnl_a, cout) : null;
            boolean sumsBias = whole && biasGradients;
            dnnl_convolution_desc_t forwardDesc = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_forward_desc_init(forwardDesc, dnnl_forward_training,
                    dnnl_convolution_direct, src, anyWeights, biasDesc, dst, strides, padLeft, padRight), "describing "
                    + what);
            dnnl_convolution_desc_t dataDesc = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_data_desc_init(dataDesc, dnnl_convolution_direct, src, anyWeights,
                    dst, strides, padLeft, padRight), "describing the input gradient of " + what);
            dnnl_convolution_desc_t weightDesc = new dnnl_convolution_desc_t();
            OneDnn.check(dnnl_convolution_backward_weights_desc_init(weightDesc, dnnl_convolution_direct, src,
                    anyWeights, sumsBias ? biasDesc : null, dst, strides, padLeft, padRight), "describing the weight "
                    + "gradient of " + what);
            dnnl_memory forwardWeightMemory;
            dnnl_memory backwardWeightMemory;
            dnnl_memory weightGradMemory;
            Integer activation = whole ? OneDnnConvolution.elementWise(stage.activation()) : null;
            try (OneDnn.Choice forwardChoice = objects.choose(forwardDesc, activation,
                    (float) stage.activation().slope(), what);
                 OneDnn.Choice dataChoice = objects.chooseBackward(dataDesc, forwardChoice, what);
                 OneDnn.Choice weightChoice = objects.chooseBackward(weightDesc, forwardChoice, what)) {
                forwardChoice.keep();
                forward = forwardChoice.create();
                inputGradient = dataChoice.create();
                weightGradient = weightChoice.create();
                LOG.debug("{}: oneDNN's {}, {} and {}", what, forwardChoice.implementation(),
                        dataChoice.implementation(), weightChoice.implementation());
                // the queried layouts belong to the choices: used before they close
                dnnl_memory_desc_t forwardWeights = forwardChoice.layout(dnnl_query_weights_md);
                dnnl_memory_desc_t backwardWeights = dataChoice.layout(dnnl_query_weights_md);
                dnnl_memory_desc_t weightGrads = weightChoice.layout(dnnl_query_diff_weights_md);
                forwardWeightMemory = objects.ownMemory(forwardWeights);
                boolean shared = dnnl_memory_desc_equal(forwardWeights, backwardWeights) != 0;
                backwardWeightMemory = shared ? forwardWeightMemory : objects.ownMemory(backwardWeights);
                weightGradMemory = objects.ownMemory(weightGrads);
                forwardWeightReorder = objects.reorder(engineWeightDesc, forwardWeights);
                backwardWeightReorder = shared ? null : objects.reorder(engineWeightDesc, backwardWeights);
                weightGradReorder = objects.reorder(weightGrads, engineWeightDesc);
            }
            srcBuffer = objects.floats((long) n * cin * inH * inW);
            dstBuffer = objects.floats((long) n * cout * outH * outW);
            srcMemory = objects.memory(src, srcBuffer);
            dnnl_memory dstMemory = objects.memory(dst, dstBuffer);
            arrivingBuffer = objects.floats((long) n * cout * outH * outW);
            arrivingGrad = objects.memory(dst, arrivingBuffer);
            Integer derivativeAlgorithm = activation == null ? null : derivativeFromResult(stage.activation());
            dnnl_memory gradMemory;
            if (derivativeAlgorithm == null) {
                derivative = null;
                derivativeArgs = null;
                gradMemory = arrivingGrad;
            } else {
                gradMemory = objects.ownMemory(dst);
                derivative = derivative(derivativeAlgorithm, dst);
                derivativeArgs = objects.args(new int[] {DNNL_ARG_DST, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_SRC},
                        dstMemory, arrivingGrad, gradMemory);
            }
            inputGradBuffer = objects.floats((long) n * cin * inH * inW);
            dnnl_memory inputGradMemory = objects.memory(src, inputGradBuffer);
            dnnl_memory_desc_t inputDesc = channelMajor(n, cin, inH, inW);
            dnnl_memory_desc_t outputDesc = channelMajor(n, cout, outH, outW);
            engineInput = objects.unboundMemory(inputDesc);
            engineOutput = objects.unboundMemory(outputDesc);
            engineOutputGrad = objects.unboundMemory(outputDesc);
            engineInputGrad = objects.unboundMemory(inputDesc);
            engineWeights = objects.unboundMemory(engineWeightDesc);
            engineWeightGrad = objects.unboundMemory(engineWeightDesc);
            inputGradValues = objects.floats((long) n * cin * inH * inW);
            toChannelsLast = objects.reorder(inputDesc, src);
            outputFromChannelsLast = objects.reorder(dst, outputDesc);
            gradToChannelsLast = objects.reorder(outputDesc, dst);
            inputGradFromChannelsLast = objects.reorder(src, inputDesc);
            int[] fromTo = {DNNL_ARG_FROM, DNNL_ARG_TO};
            inputArgs = objects.args(fromTo, engineInput, srcMemory);
            outputArgs = objects.args(fromTo, dstMemory, engineOutput);
            gradArgs = objects.args(fromTo, engineOutputGrad, arrivingGrad);
            inputGradArgs = objects.args(fromTo, inputGradMemory, engineInputGrad);
            forwardWeightArgs = objects.args(fromTo, engineWeights, forwardWeightMemory);
            backwardWeightArgs = objects.args(fromTo, engineWeights, backwardWeightMemory);
            weightGradArgs = objects.args(fromTo, weightGradMemory, engineWeightGrad);
            if (whole) {
                biasValues = objects.floats(cout);
                forwardArgs = objects.args(new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                        srcMemory, forwardWeightMemory, objects.memory(biasDesc, biasValues), dstMemory);
            } else {
                biasValues = null;
                forwardArgs = objects.args(new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}, srcMemory,
                        forwardWeightMemory, dstMemory);
            }
            if (sumsBias) {
                biasGradValues = objects.floats(cout);
                weightGradientArgs = objects.args(new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS,
                    DNNL_ARG_DIFF_BIAS}, srcMemory, gradMemory, weightGradMemory,
                        objects.memory(biasDesc, biasGradValues));
            } else {
                biasGradValues = null;
                weightGradientArgs = objects.args(new int[] {DNNL_ARG_SRC, DNNL_ARG_DIFF_DST, DNNL_ARG_DIFF_WEIGHTS},
                        srcMemory, gradMemory, weightGradMemory);
            }
            inputGradientArgs = objects.args(new int[] {DNNL_ARG_DIFF_DST, DNNL_ARG_WEIGHTS, DNNL_ARG_DIFF_SRC},
                    gradMemory, backwardWeightMemory, inputGradMemory);
        }

        /** @return the element-wise backward primitive of the activation, reading its result ({@code dst}) */
        private dnnl_primitive derivative(int algorithm, dnnl_memory_desc_t dst) {
            float alpha = (float) stage.activation().slope();
            dnnl_eltwise_desc_t forwardDesc = new dnnl_eltwise_desc_t();
            OneDnn.check(dnnl_eltwise_forward_desc_init(forwardDesc, dnnl_forward_training, algorithm, dst, alpha, 0f),
                    "describing the activation of " + what);
            dnnl_eltwise_desc_t backwardDesc = new dnnl_eltwise_desc_t();
            OneDnn.check(dnnl_eltwise_backward_desc_init(backwardDesc, algorithm, dst, dst, alpha, 0f),
                    "describing the activation's derivative of " + what);
            try (OneDnn.Choice forwardChoice = objects.choose(forwardDesc, what);
                 OneDnn.Choice backwardChoice = objects.chooseBackward(backwardDesc, forwardChoice, what)) {
                forwardChoice.keep(); // the backward implementation keeps a pointer to its hint
                return backwardChoice.create();
            }
        }

        @Override
        public OneDnn objects() {
            return objects;
        }

        void forward(NativeMatrix input, NativeMatrix weights, float[] bias, NativeMatrix output, long version) {
            if (biasValues != null) {
                biasValues.put(bias, 0, stage.out());
            }
            if (version != reorderedVersion) {
                OneDnn.bind(engineWeights, weights.address());
                objects.execute(forwardWeightReorder, forwardWeightArgs, what);
                if (backwardWeightReorder != null) {
                    objects.execute(backwardWeightReorder, backwardWeightArgs, what);
                }
                reorderedVersion = version;
            }
            if (readsChannelsLast(input, n)) {
                OneDnn.bind(srcMemory, input.channelsLast().values()); // the previous convolution's result as it is
            } else {
                input.push(n * inH * inW);
                OneDnn.bind(srcMemory, srcBuffer);
                OneDnn.bind(engineInput, input.address());
                objects.execute(toChannelsLast, inputArgs, what);
            }
            output.overwrite();
            OneDnn.bind(engineOutput, output.address());
            objects.execute(forward, forwardArgs, what);
            if (biasValues == null) {
                reorderBack();
            } else {
                objects.await(what);
                output.channelsLastResult(new NativeMatrix.ChannelsLast(dstBuffer, n, stage.out(), outH, outW,
                        this::reorderBack), n * outH * outW);
            }
        }

        private void reorderBack() {
            objects.execute(outputFromChannelsLast, outputArgs, what);
            objects.await(what);
        }

        void backward(NativeMatrix outputGrad, NativeMatrix weightGrad, float[] biasGrad, float[] heapInputGrad,
                      NativeMatrix handOver, long version) {
            if (version != reorderedVersion) {
                throw new IllegalStateException("the weights of " + what + " changed between the forward and the "
                        + "backward pass");
            }
            NativeMatrix.ChannelsLast pending = outputGrad.channelsLast();
            if (whole && pending != null && pending.holds(n, stage.out(), outH, outW)) {
                outputGrad.overwrite(); // taken over as it stands
                OneDnn.bind(arrivingGrad, pending.values());
            } else {
                outputGrad.push(n * outH * outW);
                OneDnn.bind(arrivingGrad, arrivingBuffer);
                OneDnn.bind(engineOutputGrad, outputGrad.address());
                objects.execute(gradToChannelsLast, gradArgs, what);
            }
            if (derivative != null) {
                objects.execute(derivative, derivativeArgs, what);
            }
            if (weightGrad != null) {
                objects.execute(weightGradient, weightGradientArgs, what);
                OneDnn.bind(engineWeightGrad, weightGrad.address());
                objects.execute(weightGradReorder, weightGradArgs, what);
            }
            if (heapInputGrad != null || handOver != null) {
                objects.execute(inputGradient, inputGradientArgs, what);
            }
            if (heapInputGrad != null) {
                OneDnn.bind(engineInputGrad, inputGradValues);
                objects.execute(inputGradFromChannelsLast, inputGradArgs, what);
            }
            objects.await(what);
            if (weightGrad != null && biasGrad != null && biasGradValues != null) {
                biasGradValues.get(biasGrad, 0, stage.out());
            }
            if (heapInputGrad != null) {
                inputGradValues.get(heapInputGrad, 0, n * stage.in() * inH * inW);
            }
            if (handOver != null) {
                handOver.channelsLastResult(new NativeMatrix.ChannelsLast(inputGradBuffer, n, stage.in(), inH, inW,
                        () -> reorderInputGradInto(handOver)), n * inH * inW);
            }
        }

        /** Writes the input gradient into {@code target}'s native copy in the engine's layout. */
        private void reorderInputGradInto(NativeMatrix target) {
            OneDnn.bind(engineInputGrad, target.address());
            objects.execute(inputGradFromChannelsLast, inputGradArgs, what);
            objects.await(what);
        }
    }
}
