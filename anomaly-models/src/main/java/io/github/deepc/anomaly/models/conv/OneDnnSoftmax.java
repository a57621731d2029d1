package io.github.deepc.anomaly.models.conv;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.dnnl_ab;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_inference;
import static org.bytedeco.dnnl.global.dnnl.dnnl_softmax_forward_desc_init;

import java.util.HashMap;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_softmax_desc_t;
import org.bytedeco.javacpp.Pointer;

/**
 * A softmax over each row of a native row-major matrix, in place, by oneDNN's softmax primitive (vectorised for the
 * CPU, its exponential included): the attention weights of a {@link SelfAttentionLayer} built for inference only,
 * which then never leave native memory (the Java softmax pulls them to the heap and pushes them back, and its scalar
 * passes were the largest Java cost of alpha-gan's scoring). Equal to the Java softmax to float rounding; one
 * primitive per row count, kept. Not thread-safe, like the layer that owns it.
 */
final class OneDnnSoftmax implements AutoCloseable {
    private final int rowLength;
    private final Map<Integer, Rows> byRowCount = new HashMap<>();

    /** @param rowLength values per row */
    OneDnnSoftmax(int rowLength) {
        this.rowLength = rowLength;
    }

    /**
     * @param matrix the first value of {@code rows x rowLength} packed row-major floats (borrowed)
     * @param rows   rows
     */
    void apply(Pointer matrix, int rows) {
        byRowCount.computeIfAbsent(rows, Rows::new).run(matrix);
    }

    @Override
    public void close() {
        byRowCount.values().forEach(r -> r.objects.close());
        byRowCount.clear();
    }

    private final class Rows {
        private final OneDnn objects = new OneDnn();
        private final dnnl_memory data;
        private final dnnl_primitive softmax;
        private final dnnl_exec_arg_t args;

        Rows(int rows) {
            dnnl_memory_desc_t md = OneDnn.byTag(dnnl_ab, rows, rowLength);
            dnnl_softmax_desc_t desc = new dnnl_softmax_desc_t();
            OneDnn.check(dnnl_softmax_forward_desc_init(desc, dnnl_forward_inference, md, 1), "describing a softmax");
            try (OneDnn.Choice choice = objects.choose(desc, "a softmax")) {
                softmax = choice.create();
            }
            data = objects.unboundMemory(md);
            args = objects.args(new int[] {DNNL_ARG_SRC, DNNL_ARG_DST}, data, data);
        }

        void run(Pointer matrix) {
            OneDnn.bind(data, matrix);
            objects.execute(softmax, args, "a softmax");
            objects.await("a softmax");
        }
    }
}
