package io.github.deepc.anomaly.models.conv;

import static org.bytedeco.dnnl.global.dnnl.dnnl_cpu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_engine_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_f32;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_strides;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_init_by_tag;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_append_eltwise;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_post_ops_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_attr_set_post_ops;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_impl_info_str;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_execute;
import static org.bytedeco.dnnl.global.dnnl.dnnl_reorder_primitive_desc_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_create;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_default_flags;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_destroy;
import static org.bytedeco.dnnl.global.dnnl.dnnl_stream_wait;
import static org.bytedeco.dnnl.global.dnnl.dnnl_success;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.dnnl.const_dnnl_op_desc_t;
import org.bytedeco.dnnl.dnnl_engine;
import org.bytedeco.dnnl.dnnl_exec_arg_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_post_ops;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_attr;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.dnnl.dnnl_stream;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * A set of oneDNN objects (primitives, memory objects, buffers, argument lists) with one stream, created through
 * JavaCPP's {@code org.bytedeco:dnnl} C API and destroyed together by {@link #close}; plus the one CPU engine per JVM
 * they all use. Used by the engine's primitive paths ({@link OneDnnConvolution}, {@link OneDnnTrainingConvolution},
 * {@link ChannelsLastProjection}, {@link OneDnnSoftmax}). Not thread-safe (a stream runs one primitive at a time);
 * the engine is.
 */
final class OneDnn implements AutoCloseable {
    private static volatile dnnl_engine engine;

    private final dnnl_stream stream = new dnnl_stream();
    private final List<dnnl_primitive> primitives = new ArrayList<>();
    private final List<dnnl_memory> memories = new ArrayList<>();
    private final List<Pointer> natives = new ArrayList<>();
    private final List<dnnl_primitive_desc> keptChoices = new ArrayList<>();

    OneDnn() {
        check(dnnl_stream_create(stream, engine(), dnnl_stream_default_flags), "creating a stream");
    }

    /** @return the CPU engine, created on first use (one per JVM, never destroyed: oneDNN's engines are thread-safe) */
    static dnnl_engine engine() {
        dnnl_engine e = engine;
        if (e == null) {
            synchronized (OneDnn.class) {
                if (engine == null) {
                    dnnl_engine created = new dnnl_engine();
                    check(dnnl_engine_create(created, dnnl_cpu, 0), "creating the CPU engine");
                    engine = created;
                }
                e = engine;
            }
        }
        return e;
    }

    /** @throws IllegalStateException naming {@code what} where {@code status} is not success */
    static void check(int status, String what) {
        if (status != dnnl_success) {
            throw new IllegalStateException("oneDNN failed " + what + " (status " + status + ")");
        }
    }

    /** @return a float tensor of these dimensions in the layout a format tag names ({@code dnnl_format_tag_any} too) */
    static dnnl_memory_desc_t byTag(int tag, long... dims) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_tag(md, dims.length, dims, dnnl_f32, tag), "describing a tensor");
        return md;
    }

    /** @return a float tensor of these dimensions at these strides (in values) */
    static dnnl_memory_desc_t byStrides(long[] dims, long[] strides) {
        dnnl_memory_desc_t md = new dnnl_memory_desc_t();
        check(dnnl_memory_desc_init_by_strides(md, dims.length, dims, dnnl_f32, strides), "describing a tensor");
        return md;
    }

    /**
     * @param desc an initialised operation descriptor (e.g. a {@code dnnl_convolution_desc_t})
     * @param what the operation, for errors
     * @return oneDNN's preferred implementation of the operation, to query and create until closed
     */
    Choice choose(Pointer desc, String what) {
        return choose(desc, (dnnl_primitive_attr) null, what);
    }

    /**
     * @param desc    an initialised backward operation descriptor
     * @param forward the chosen implementation of the forward operation it belongs to (oneDNN's hint; still open)
     * @param what    the operation, for errors
     * @return oneDNN's preferred implementation of the backward operation
     */
    Choice chooseBackward(Pointer desc, Choice forward, String what) {
        return choose(desc, null, forward.pd, what);
    }

    /**
     * @param desc        an initialised operation descriptor
     * @param elementWise an element-wise operation applied to the result ({@code dnnl_eltwise_*}), or {@code null}
     * @param alpha       its parameter (a rectifier's slope below 0)
     * @param what        the operation, for errors
     * @return oneDNN's preferred implementation of the operation followed by the element-wise one
     */
    Choice choose(Pointer desc, Integer elementWise, float alpha, String what) {
        if (elementWise == null) {
            return choose(desc, (dnnl_primitive_attr) null, what);
        }
        dnnl_post_ops ops = new dnnl_post_ops();
        check(dnnl_post_ops_create(ops), "creating post-operations");
        dnnl_primitive_attr attr = new dnnl_primitive_attr();
        try {
            check(dnnl_post_ops_append_eltwise(ops, 1f, elementWise, alpha, 0f), "appending " + what);
            check(dnnl_primitive_attr_create(attr), "creating attributes");
            try {
                check(dnnl_primitive_attr_set_post_ops(attr, ops), "attaching post-operations");
                return choose(desc, attr, what);
            } finally {
                dnnl_primitive_attr_destroy(attr);
            }
        } finally {
            dnnl_post_ops_destroy(ops);
        }
    }

    private Choice choose(Pointer desc, dnnl_primitive_attr attr, String what) {
        return choose(desc, attr, null, what);
    }

    private Choice choose(Pointer desc, dnnl_primitive_attr attr, dnnl_primitive_desc hint, String what) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_primitive_desc_create(pd, new const_dnnl_op_desc_t(desc), attr, engine(), hint),
                "choosing an implementation of " + what);
        return new Choice(pd);
    }

    /** An implementation oneDNN chose for an operation ({@link #choose}); closing it releases only the choice. */
    final class Choice implements AutoCloseable {
        private final dnnl_primitive_desc pd;
        private boolean kept;

        private Choice(dnnl_primitive_desc pd) {
            this.pd = pd;
        }

        /** @return the layout the implementation wants for one of its tensors, e.g. {@code dnnl_query_weights_md} */
        dnnl_memory_desc_t layout(int query) {
            return dnnl_primitive_desc_query_md(pd, query, 0);
        }

        /** @return oneDNN's name of the implementation, e.g. {@code brgconv:avx512_core} */
        String implementation() {
            PointerPointer<BytePointer> name = new PointerPointer<>(1);
            try {
                check(dnnl_primitive_desc_query(pd, dnnl_query_impl_info_str, 0, name), "naming an implementation");
                return name.getString(0);
            } finally {
                name.close();
            }
        }

        /** @return the primitive, owned by the enclosing set */
        dnnl_primitive create() {
            return primitive(pd);
        }

        /**
         * Keeps the choice until the enclosing set closes (then {@link #close()} does nothing): for a forward choice
         * that backward choices were made with, since oneDNN's backward implementations keep a pointer to their hint.
         */
        void keep() {
            if (!kept) {
                kept = true;
                keptChoices.add(pd);
            }
        }

        @Override
        public void close() {
            if (!kept) {
                dnnl_primitive_desc_destroy(pd);
            }
        }
    }

    /** @return a primitive that copies a tensor from one layout to another */
    dnnl_primitive reorder(dnnl_memory_desc_t from, dnnl_memory_desc_t to) {
        dnnl_primitive_desc pd = new dnnl_primitive_desc();
        check(dnnl_reorder_primitive_desc_create(pd, from, engine(), to, engine(), null), "describing a reorder");
        try {
            return primitive(pd);
        } finally {
            dnnl_primitive_desc_destroy(pd);
        }
    }

    private dnnl_primitive primitive(dnnl_primitive_desc pd) {
        dnnl_primitive prim = new dnnl_primitive();
        check(dnnl_primitive_create(prim, pd), "creating a primitive");
        primitives.add(prim);
        return prim;
    }

    /** @return a memory object over a buffer of its own, allocated natively and freed by {@link #close} */
    dnnl_memory ownMemory(dnnl_memory_desc_t md) {
        return memory(md, floats(dnnl_memory_desc_get_size(md) / Float.BYTES));
    }

    /** @return native floats, freed by {@link #close} */
    FloatPointer floats(long count) {
        FloatPointer buffer = new FloatPointer(count);
        natives.add(buffer);
        return buffer;
    }

    /** @return a memory object without a buffer, to be pointed at the engine's buffers ({@link #bind}) */
    dnnl_memory unboundMemory(dnnl_memory_desc_t md) {
        return memory(md, null);
    }

    /** @return a memory object over a buffer (borrowed, e.g. from {@link #floats}) */
    dnnl_memory memory(dnnl_memory_desc_t md, Pointer handle) {
        dnnl_memory m = new dnnl_memory();
        check(dnnl_memory_create(m, md, engine(), handle), "creating a memory object");
        memories.add(m);
        return m;
    }

    /** Points a memory object at a buffer (borrowed: oneDNN neither frees nor keeps it beyond the next bind). */
    static void bind(dnnl_memory memory, Pointer buffer) {
        check(dnnl_memory_set_data_handle(memory, buffer), "binding a buffer");
    }

    /** @return the argument list {@code (kinds[i], memories[i])} of one primitive execution */
    dnnl_exec_arg_t args(int[] kinds, dnnl_memory... memoryObjects) {
        dnnl_exec_arg_t args = new dnnl_exec_arg_t(kinds.length);
        natives.add(args);
        for (int i = 0; i < kinds.length; i++) {
            args.position(i).arg(kinds[i]).memory(memoryObjects[i]);
        }
        return args.position(0);
    }

    /** Queues a primitive on this set's stream. */
    void execute(dnnl_primitive primitive, dnnl_exec_arg_t args, String what) {
        check(dnnl_primitive_execute(primitive, stream, (int) args.capacity(), args), "running " + what);
    }

    /** Waits for everything queued. */
    void await(String what) {
        check(dnnl_stream_wait(stream), "waiting for " + what);
    }

    @Override
    public void close() {
        primitives.forEach(p -> dnnl_primitive_destroy(p));
        keptChoices.forEach(pd -> dnnl_primitive_desc_destroy(pd));
        memories.forEach(m -> dnnl_memory_destroy(m));
        natives.forEach(Pointer::close);
        primitives.clear();
        keptChoices.clear();
        memories.clear();
        natives.clear();
        dnnl_stream_destroy(stream);
    }
}
