package io.github.deepc.anomaly.models.conv;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_direct;
import static org.bytedeco.dnnl.global.dnnl.dnnl_deconvolution_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_logistic;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_tanh;
import static org.bytedeco.dnnl.global.dnnl.dnnl_format_tag_any;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_iohw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_oihw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_weights_md;

import org.bytedeco.dnnl.dnnl_convolution_desc_t;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.javacpp.FloatPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inference forward pass of one {@link Stage} (a stride-2 convolution or transposed convolution, with its bias and
 * activation fused in where {@link #fusesBiasAndActivation}, or the product alone) by oneDNN's convolution and
 * deconvolution primitives, which run kernels generated for the CPU on channels-last data.
 *
 * <p>Why: scoring has no backward pass, so it needs neither the column matrix that the engine's gather builds (and
 * the weight gradient reads) nor the engine's layout; PyTorch scores through these same primitives. Measured on the
 * GANs' discriminator stages at 64 images per pass: 216-894 us per stage; with the changes around it the GANs' and
 * Deep SVDD's scoring became 1.6-4.2x faster (anomaly-benchmarks/README.md). The engine's layout is channel-major,
 * {@code [channel][image][row][column]}: a pass reorders its input to channels-last (oneDNN's reorders, 40-150 us per
 * stage there; none for one channel) unless it is the previous convolution's result, which stays channels-last
 * ({@link NativeMatrix#channelsLastResult}) and is reordered back only when something else reads it (dcgan's scoring
 * +30-40 % measured).
 *
 * <p>Used by {@link StageLayer}s built for inference only where {@link Gemm#library()} is oneDNN and the stage is
 * expressible ({@link #supports}); trainable layers use {@link OneDnnTrainingConvolution}, and the column path stays
 * the path for OpenBLAS and the reference these passes are tested against. Results equal the column path's to float
 * rounding (the sums run in another order); for a given image count, thread count and CPU they are the same bits
 * every time. One set of primitives is
 * built per image count (the last pass of a scoring run is often smaller) and kept. Not thread-safe, like the layer
 * that owns it.
 */
final class OneDnnConvolution extends OneDnnStage<OneDnnConvolution.Pass> {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnnConvolution.class);

    /**
     * @param stage the stage
     * @param inH   input height
     * @param inW   input width
     * @throws IllegalArgumentException where {@link #supports} is false
     */
    OneDnnConvolution(Stage stage, int inH, int inW) {
        super(stage, inH, inW);
        if (!supports(stage)) {
            throw new IllegalArgumentException("oneDNN cannot express " + stage);
        }
    }

    /**
     * @return whether oneDNN computes this stage's forward pass: where the bottom/right padding that gives the
     *         engine's output size is not negative (it is for a transposed 1x1 kernel), except a transposed stage with
     *         one output channel (e.g. a generator's last), which oneDNN 2.5's deconvolution computes slower than the
     *         column path (measured at 64 images of 32x32 to 64x64: 1.7 ms against about 0.7)
     */
    static boolean supports(Stage stage) {
        return padRight(stage) >= 0 && !(stage.transposed() && stage.out() == 1);
    }

    /**
     * @return whether a pass may add the bias and apply the activation inside the primitive: for convolutions; oneDNN
     *         2.5's deconvolution then runs 1.4-9x slower (measured on the GAN generators' stages), so a transposed
     *         stage takes them in Java
     */
    static boolean fusesBiasAndActivation(Stage stage) {
        return !stage.transposed();
    }

    /** {@inheritDoc} The input's heap copy is not pushed where the input is a native pass's result. */
    @Override
    void forward(NativeMatrix input, NativeMatrix weights, float[] bias, NativeMatrix output, int n) {
        boolean whole = bias != null;
        pass(2 * n + (whole ? 1 : 0), key -> new Pass(n, whole)).run(input, weights, bias, output, weightsVersion());
    }

    /** @return the oneDNN element-wise algorithm of an activation, or {@code null} for none */
    static Integer elementWise(Activation a) {
        return switch (a) {
            case RELU, LEAKY_RELU, LEAKY_RELU_0_2 -> dnnl_eltwise_relu;
            case TANH -> dnnl_eltwise_tanh;
            case SIGMOID -> dnnl_eltwise_logistic;
            case LINEAR -> null;
        };
    }

    /** The primitives and buffers for one image count. */
    final class Pass implements OneDnnStage.Pass {
        private final OneDnn objects = new OneDnn();
        private final dnnl_memory engineInput;
        private final dnnl_memory engineWeights;
        private final dnnl_memory engineOutput;
        private final dnnl_memory srcMemory;
        private final dnnl_memory dstMemory;
        /** The pass's own channels-last buffers, {@code null} for one channel (the engine's buffer is used). */
        private final FloatPointer srcBuffer;
        private final FloatPointer dstBuffer;
        private final int n;
        /** The bias, copied in at every pass, or {@code null} for a pass of pre-activations. */
        private final FloatPointer biasValues;
        /** {@code null} where the input has one channel (no reorder needed), likewise the next. */
        private final dnnl_primitive toChannelsLast;
        private final dnnl_primitive weightReorder;
        private final dnnl_primitive convolution;
        private final dnnl_primitive fromChannelsLast;
        private final dnnl_exec_arg_t inputArgs;
        private final dnnl_exec_arg_t weightArgs;
        private final dnnl_exec_arg_t convolutionArgs;
        private final dnnl_exec_arg_t outputArgs;
        /** The stage, for errors (built once: a record's toString on every pass showed in profiles). */
        private final String what;
        private long reorderedVersion = -1;

        Pass(int n, boolean whole) {
            what = stage + " over " + n + " images" + (whole ? "" : " (pre-activations)");
            int cin = stage.in();
            int cout = stage.out();
            int k = stage.kernel();
            int p = (k - 1) / 2;
            int r = padRight(stage);
            dnnl_memory_desc_t src = OneDnn.byTag(dnnl_nhwc, n, cin, inH, inW);
            dnnl_memory_desc_t dst = OneDnn.byTag(dnnl_nhwc, n, cout, outH, outW);
            dnnl_memory_desc_t biasDesc = whole ? OneDnn.byTag(dnnl_a, cout) : null;
            dnnl_convolution_desc_t desc = new dnnl_convolution_desc_t();
            long[] strides = {2, 2};
            if (stage.transposed()) {
                OneDnn.check(dnnl_deconvolution_forward_desc_init(desc, dnnl_forward_inference,
                        dnnl_deconvolution_direct, src, OneDnn.byTag(dnnl_format_tag_any, cout, cin, k, k), biasDesc,
                        dst, strides, new long[] {p, p}, new long[] {r, r}), "describing " + what);
            } else {
                OneDnn.check(dnnl_convolution_forward_desc_init(desc, dnnl_forward_inference, dnnl_convolution_direct,
                        src, OneDnn.byTag(dnnl_format_tag_any, cout, cin, k, k), biasDesc, dst, strides,
                        new long[] {p, p}, new long[] {r, r}), "describing " + what);
            }
            dnnl_memory_desc_t engineWeightDesc = OneDnn.byTag(stage.transposed() ? dnnl_iohw : dnnl_oihw, cout, cin,
                    k, k);
            dnnl_memory weightMemory;
            Integer activation = whole ? elementWise(stage.activation()) : null;
            try (OneDnn.Choice choice = objects.choose(desc, activation, (float) stage.activation().slope(), what)) {
                convolution = choice.create();
                LOG.debug("{}: oneDNN's {}", what, choice.implementation());
                dnnl_memory_desc_t preferred = choice.layout(dnnl_query_weights_md);
                weightMemory = objects.ownMemory(preferred);
                weightReorder = objects.reorder(engineWeightDesc, preferred);
            }
            // with one channel the engine's layout is channels-last already: the convolution reads (or writes) the
            // engine's buffer itself, bound per pass, instead of a reordered copy
            srcBuffer = cin == 1 ? null : objects.floats((long) n * cin * inH * inW);
            dstBuffer = cout == 1 ? null : objects.floats((long) n * cout * outH * outW);
            srcMemory = objects.memory(src, srcBuffer);
            dstMemory = objects.memory(dst, dstBuffer);
            this.n = n;
            dnnl_memory_desc_t inputDesc = channelMajor(n, cin, inH, inW);
            dnnl_memory_desc_t outputDesc = channelMajor(n, cout, outH, outW);
            engineInput = objects.unboundMemory(inputDesc);
            engineOutput = objects.unboundMemory(outputDesc);
            engineWeights = objects.unboundMemory(engineWeightDesc);
            toChannelsLast = cin == 1 ? null : objects.reorder(inputDesc, src);
            fromChannelsLast = cout == 1 ? null : objects.reorder(dst, outputDesc);
            int[] fromTo = {DNNL_ARG_FROM, DNNL_ARG_TO};
            inputArgs = objects.args(fromTo, engineInput, srcMemory);
            weightArgs = objects.args(fromTo, engineWeights, weightMemory);
            if (whole) {
                biasValues = objects.floats(cout);
                dnnl_memory biasMemory = objects.memory(biasDesc, biasValues);
                convolutionArgs = objects.args(new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_BIAS, DNNL_ARG_DST},
                        srcMemory, weightMemory, biasMemory, dstMemory);
            } else {
                biasValues = null;
                convolutionArgs = objects.args(new int[] {DNNL_ARG_SRC, DNNL_ARG_WEIGHTS, DNNL_ARG_DST}, srcMemory,
                        weightMemory, dstMemory);
            }
            outputArgs = objects.args(fromTo, dstMemory, engineOutput);
        }

        @Override
        public OneDnn objects() {
            return objects;
        }

        void run(NativeMatrix input, NativeMatrix weights, float[] bias, NativeMatrix output, long version) {
            if (biasValues != null) {
                biasValues.put(bias, 0, stage.out());
            }
            if (version != reorderedVersion) {
                OneDnn.bind(engineWeights, weights.address());
                objects.execute(weightReorder, weightArgs, what);
                reorderedVersion = version;
            }
            if (readsChannelsLast(input, n)) {
                OneDnn.bind(srcMemory, input.channelsLast().values()); // the previous convolution's result as it is
            } else if (toChannelsLast == null) {
                input.push(n * inH * inW);
                OneDnn.bind(srcMemory, input.address());
            } else {
                input.push(n * inH * inW); // nothing where the input is a native pass's result (nativeAhead)
                OneDnn.bind(srcMemory, srcBuffer);
                OneDnn.bind(engineInput, input.address());
                objects.execute(toChannelsLast, inputArgs, what);
            }
            output.overwrite();
            OneDnn.bind(fromChannelsLast == null ? dstMemory : engineOutput, output.address());
            objects.execute(convolution, convolutionArgs, what);
            int cols = n * outH * outW;
            if (fromChannelsLast == null) {
                objects.await(what);
                if (biasValues != null) {
                    output.nativeAhead(cols);
                }
            } else if (biasValues != null) {
                // the reorder back runs only when something other than a next convolution uses the output
                objects.await(what);
                output.channelsLastResult(new NativeMatrix.ChannelsLast(dstBuffer, n, stage.out(), outH, outW,
                        this::reorderBack), cols);
            } else {
                reorderBack();
            }
        }

        private void reorderBack() {
            objects.execute(fromChannelsLast, outputArgs, what);
            objects.await(what);
        }
    }
}
