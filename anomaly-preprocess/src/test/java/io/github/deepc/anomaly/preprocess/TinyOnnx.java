package io.github.deepc.anomaly.preprocess;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds tiny ONNX detector networks for the tests, so that the DNN path of {@code body-part-crop} can be tested
 * without downloading a model.
 *
 * <p>The network ignores its input's content and always outputs the same SSD detections:
 * <pre>
 * input [1, C, S, S] --GlobalAveragePool--> [1, C, 1, 1]
 *       --Conv(W = 0 [7N, C, 1, 1], B = detections)--> [1, 7N, 1, 1]   (0 * mean + B = B)
 *       --Reshape(shape = [1, 1, N, 7])--> detections [1, 1, N, 7]
 * </pre>
 * GlobalAveragePool, Conv and Reshape (with a constant shape) are all handled by OpenCV 4.5.5's ONNX importer.
 *
 * <p>The file is written by hand in protobuf's wire format ({@link Proto}): an ONNX file is one serialised
 * {@code onnx.ModelProto} (onnx/onnx.proto); the field numbers used are noted where they are written.
 */
final class TinyOnnx {
    private TinyOnnx() {
    }

    /**
     * A minimal protobuf encoder: each field is a tag (field number {@code << 3 | wire type}) as a varint, then the
     * value: a varint (wire type 0), 4 little-endian bytes (wire type 5), or a varint length followed by that many
     * bytes (wire type 2: strings, bytes, nested messages, packed repeated scalars).
     */
    static final class Proto {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private void rawVarint(long v) {
            long x = v;
            while ((x & ~0x7FL) != 0) {
                out.write((int) ((x & 0x7F) | 0x80));
                x >>>= 7;
            }
            out.write((int) x);
        }

        private void tag(int field, int wireType) {
            rawVarint(((long) field << 3) | wireType);
        }

        /** Writes an integer field (int32, int64, enum, bool) as a varint. */
        Proto varint(int field, long v) {
            tag(field, 0);
            rawVarint(v);
            return this;
        }

        /** Writes a length-delimited field. */
        Proto bytes(int field, byte[] b) {
            tag(field, 2);
            rawVarint(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        /** Writes a UTF-8 string field. */
        Proto string(int field, String s) {
            return bytes(field, s.getBytes(StandardCharsets.UTF_8));
        }

        /** Writes a nested message field. */
        Proto message(int field, Proto m) {
            return bytes(field, m.toByteArray());
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    /** TensorProto.DataType FLOAT. */
    private static final int FLOAT = 1;
    /** TensorProto.DataType INT64. */
    private static final int INT64 = 7;
    /** AttributeProto.AttributeType INTS. */
    private static final int ATTR_INTS = 7;

    /** onnx.TensorProto: dims = 1 (repeated int64), data_type = 2, name = 8, raw_data = 9 (little-endian). */
    private static Proto tensor(String name, int dataType, long[] dims, byte[] raw) {
        Proto t = new Proto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, dataType).string(8, name).bytes(9, raw);
        return t;
    }

    private static Proto floatTensor(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return tensor(name, FLOAT, dims, b.array());
    }

    private static Proto int64Tensor(String name, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return tensor(name, INT64, new long[] {values.length}, b.array());
    }

    /**
     * onnx.ValueInfoProto: name = 1, type = 2; TypeProto.tensor_type = 1; TypeProto.Tensor: elem_type = 1,
     * shape = 2; TensorShapeProto.dim = 1; Dimension.dim_value = 1.
     */
    private static Proto valueInfo(String name, long... dims) {
        Proto shape = new Proto();
        for (long d : dims) {
            shape.message(1, new Proto().varint(1, d));
        }
        Proto tensorType = new Proto().varint(1, FLOAT).message(2, shape);
        return new Proto().string(1, name).message(2, new Proto().message(1, tensorType));
    }

    /** onnx.NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5. */
    private static Proto node(String op, String name, String[] inputs, String output, Proto... attributes) {
        Proto n = new Proto();
        for (String in : inputs) {
            n.string(1, in);
        }
        n.string(2, output).string(3, name).string(4, op);
        for (Proto a : attributes) {
            n.message(5, a);
        }
        return n;
    }

    /** onnx.AttributeProto: name = 1, ints = 8 (repeated int64), type = 20. */
    private static Proto intsAttribute(String name, long... values) {
        Proto a = new Proto().string(1, name);
        for (long v : values) {
            a.varint(8, v);
        }
        return a.varint(20, ATTR_INTS);
    }

    /**
     * Writes a network whose output is always the given detections.
     *
     * @param file       where to write the {@code .onnx} file
     * @param channels   input channels C
     * @param size       input side S
     * @param detections N rows of 7 values {@code (image_id, class, confidence, x1, y1, x2, y2)}
     * @param outputCols 7 for SSD output; another value gives a network with a non-SSD output shape
     * @return the file
     * @throws IOException when writing fails
     */
    static Path detector(Path file, int channels, int size, float[][] detections, int outputCols) throws IOException {
        int n = detections.length;
        int outputs = n * outputCols;
        float[] bias = new float[outputs];
        for (int i = 0; i < n; i++) {
            System.arraycopy(detections[i], 0, bias, i * outputCols, Math.min(outputCols, detections[i].length));
        }
        Proto graph = new Proto()
                // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12
                .message(1, node("GlobalAveragePool", "pool", new String[] {"input"}, "pooled"))
                .message(1, node("Conv", "conv", new String[] {"pooled", "w", "b"}, "conv",
                        intsAttribute("kernel_shape", 1, 1)))
                .message(1, node("Reshape", "reshape", new String[] {"conv", "shape"}, "detections"))
                .string(2, "tiny-detector")
                .message(5, floatTensor("w", new long[] {outputs, channels, 1, 1}, new float[outputs * channels]))
                .message(5, floatTensor("b", new long[] {outputs}, bias))
                .message(5, int64Tensor("shape", new long[] {1, 1, n, outputCols}))
                .message(11, valueInfo("input", 1, channels, size, size))
                .message(12, valueInfo("detections", 1, 1, n, outputCols));
        Proto model = new Proto()
                // ModelProto: ir_version = 1, producer_name = 2, graph = 7, opset_import = 8
                .varint(1, 7)
                .string(2, "anomaly-preprocess-tests")
                .message(7, graph)
                // OperatorSetIdProto: domain = 1, version = 2
                .message(8, new Proto().string(1, "").varint(2, 11));
        Files.write(file, model.toByteArray());
        return file;
    }
}
