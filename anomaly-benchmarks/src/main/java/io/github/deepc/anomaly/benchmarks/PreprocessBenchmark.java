package io.github.deepc.anomaly.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import io.github.deepc.anomaly.presets.Pipelines;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;

/**
 * Preprocessing throughput, Java against Python: decodes images and runs the {@code default} and {@code chest}
 * named pipelines over them with a fixed number of worker threads (default 2), then runs the same operations with
 * Python's OpenCV ({@code src/main/python/preprocess_bench.py}, shipped in this jar) on the same files with the same
 * number of threads, and prints images per second for both and the ratio Java/Python.
 *
 * <p>Rows: {@code decode only} (OpenCV's {@code imread} on both sides, the Java one through the library's decoder),
 * each pipeline with decoding ({@code decode + stages}: what preparing a data set costs) and each pipeline on images
 * decoded beforehand ({@code stages only}, on the first {@code --stages-only-limit} images: the library's stage code
 * against the same OpenCV calls from Python). Both sides produce a {@code size x size} float image with its validity
 * mask; OpenCV's own internal threading is set to the same value on both sides ({@code --opencv-threads}, default 1),
 * so that the worker threads are the only parallelism. Each measurement is preceded by a warm-up pass (JIT, file
 * cache) and repeated {@code --rounds} times; the best round counts.
 *
 * <p>Options: {@code --data DIR} (default: the shared chest X-rays,
 * {@code ${anomaly.shared.dir}/data/chest-xray/train}), {@code --limit N}, {@code --threads N}, {@code --size N},
 * {@code --rounds N}, {@code --warmup N}, {@code --opencv-threads N}, {@code --pipelines default,chest},
 * {@code --python PATH} (default {@code /usr/bin/python3}), {@code --no-python}, {@code --no-stages-only} and
 * {@code --stages-only-limit N} (default 500). Not a test: run it by hand, see the module's README.
 */
public final class PreprocessBenchmark {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** Row name of the decoding-only measurement. */
    static final String DECODE = "decode";
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "tif", "tiff", "bmp");

    private PreprocessBenchmark() {
    }

    /** Benchmark settings from the command line. */
    static final class Options {
        Path data;
        int limit = Integer.MAX_VALUE;
        int threads = 2;
        int size = 64;
        int rounds = 3;
        int warmup = 200;
        int opencvThreads = 1;
        List<String> pipelines = List.of(Pipelines.DEFAULT, Pipelines.CHEST);
        String python = "/usr/bin/python3";
        boolean runPython = true;
        boolean stagesOnly = true;
        int stagesOnlyLimit = 500;

        static Options parse(String[] args) {
            Options o = new Options();
            String shared = System.getProperty("anomaly.shared.dir", "../shared");
            o.data = Path.of(shared, "data", "chest-xray", "train");
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--no-python")) {
                    o.runPython = false;
                    continue;
                }
                if (a.equals("--no-stages-only")) {
                    o.stagesOnly = false;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--data" -> o.data = Path.of(v);
                    case "--limit" -> o.limit = positive(a, v);
                    case "--threads" -> o.threads = positive(a, v);
                    case "--size" -> o.size = positive(a, v);
                    case "--rounds" -> o.rounds = positive(a, v);
                    case "--warmup" -> o.warmup = Integer.parseInt(v);
                    case "--opencv-threads" -> o.opencvThreads = positive(a, v);
                    case "--pipelines" -> o.pipelines = List.of(v.split(","));
                    case "--python" -> o.python = v;
                    case "--stages-only-limit" -> o.stagesOnlyLimit = positive(a, v);
                    default -> throw new IllegalArgumentException("unknown option " + a + "; known: --data --limit --threads --size "
                            + "--rounds --warmup --opencv-threads --pipelines --python --no-python --no-stages-only --stages-only-limit");
                }
            }
            return o;
        }

        private static int positive(String name, String v) {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, got " + n);
            }
            return n;
        }
    }

    /**
     * Runs the benchmark.
     *
     * @param args options, see the class description
     * @throws Exception when the data cannot be read or the Python side fails
     */
    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        List<Path> files = images(o.data, o.limit);
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images in " + o.data.toAbsolutePath().normalize());
        }
        opencv_core.setNumThreads(o.opencvThreads);
        System.out.printf(Locale.ROOT, "%d images of %s, %d worker threads, OpenCV threads %d, size %d, best of %d rounds%n",
                files.size(), o.data, o.threads, o.opencvThreads, o.size, o.rounds);
        System.out.printf(Locale.ROOT, "Java %s, %d processors; JavaCPP maxPhysicalBytes %d (0: no physical memory check per native "
                + "allocation)%n", System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                org.bytedeco.javacpp.Pointer.maxPhysicalBytes());
        Path list = Files.createTempFile("preprocess-bench-", ".txt");
        Path script = extractScript();
        try {
            Files.write(list, files.stream().map(p -> p.toAbsolutePath().toString()).toList(), StandardCharsets.UTF_8);
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {DECODE, "false"});
            for (String name : o.pipelines) {
                rows.add(new String[] {name, "false"});
                if (o.stagesOnly) {
                    rows.add(new String[] {name, "true"});
                }
            }
            List<String> table = new ArrayList<>();
            for (String[] row : rows) {
                String name = row[0];
                boolean stagesOnly = Boolean.parseBoolean(row[1]);
                List<Path> set = stagesOnly ? files.subList(0, Math.min(files.size(), o.stagesOnlyLimit)) : files;
                Path setList = list;
                if (stagesOnly) {
                    setList = Files.createTempFile("preprocess-bench-", ".txt");
                    Files.write(setList, set.stream().map(p -> p.toAbsolutePath().toString()).toList(), StandardCharsets.UTF_8);
                }
                try {
                    double[] java = java(name, set, stagesOnly, o);
                    double[] python = o.runPython ? python(name, setList, stagesOnly, script, o) : new double[] {Double.NaN, Double.NaN};
                    String label = name.equals(DECODE) ? "decode only" : name + (stagesOnly ? " (stages only)" : " (decode + stages)");
                    table.add(String.format(Locale.ROOT, "%-26s %10.1f %12.1f %8.2f   %9.1f %9.1f %8.2f", label, java[0], python[0],
                            java[0] / python[0], java[1], python[1], python[1] / java[1]));
                } finally {
                    if (stagesOnly) {
                        Files.deleteIfExists(setList);
                    }
                }
            }
            System.out.println();
            System.out.println("                           ---------- wall clock ----------   ----- CPU us per image -----");
            System.out.println("what                       java img/s python img/s java/py      java    python  java/py");
            table.forEach(System.out::println);
        } finally {
            Files.deleteIfExists(list);
            Files.deleteIfExists(script);
        }
    }

    static List<Path> images(Path root, int limit) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("data folder not found: " + root.toAbsolutePath().normalize()
                    + " (give --data DIR or -Danomaly.shared.dir=...)");
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).filter(PreprocessBenchmark::isImage).sorted().limit(limit).toList();
        }
    }

    private static boolean isImage(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1));
    }

    /**
     * @param name       a named pipeline, or {@link #DECODE} for decoding only
     * @param files      the images
     * @param stagesOnly decode the images beforehand and time only the pipeline
     * @param o          settings
     * @return the best images/s of the rounds and the least CPU microseconds per image (summed over the workers)
     * @throws Exception when an image fails
     */
    static double[] java(String name, List<Path> files, boolean stagesOnly, Options o) throws Exception {
        Pipeline pipeline = null;
        if (!name.equals(DECODE)) {
            List<PluginSpec> specs = new ArrayList<>();
            for (PluginSpec s : Pipelines.named(name)) {
                specs.add(s.params().containsKey("size") ? s.with("size", Integer.toString(o.size)) : s);
            }
            pipeline = Pipeline.create(specs, PluginRegistry.defaultRegistry());
        }
        List<GrayImage> decoded = null;
        if (stagesOnly) {
            decoded = new ArrayList<>();
            for (Path f : files) {
                decoded.add(ImageDecoders.decode(f));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(o.threads);
        try {
            // warm-up: class loading, JIT, native libraries, file cache
            int warm = Math.min(files.size(), Math.max(o.warmup, 0));
            run(pipeline, files.subList(0, warm), decoded == null ? null : decoded.subList(0, warm), pool, o.threads);
            double[] rates = new double[o.rounds];
            double[] cpu = new double[o.rounds];
            for (int r = 0; r < o.rounds; r++) {
                long start = System.nanoTime();
                cpu[r] = run(pipeline, files, decoded, pool, o.threads) / 1e3 / files.size();
                rates[r] = files.size() / ((System.nanoTime() - start) / 1e9);
            }
            System.out.printf(Locale.ROOT, "  java   %-8s%s images/s %s, CPU us/image %s%n", name, stagesOnly ? " stages only" : "",
                    Arrays.toString(round1(rates)), Arrays.toString(round1(cpu)));
            return new double[] {Arrays.stream(rates).max().orElse(Double.NaN), Arrays.stream(cpu).min().orElse(Double.NaN)};
        } finally {
            pool.shutdown();
            pool.awaitTermination(1, TimeUnit.MINUTES);
        }
    }

    /** @return the CPU nanoseconds the workers spent */
    private static long run(Pipeline pipeline, List<Path> files, List<GrayImage> decoded, ExecutorService pool, int n)
            throws Exception {
        // one task per worker, each taking every n-th file: no per-image task overhead
        List<Future<long[]>> parts = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            int first = w;
            parts.add(pool.submit(() -> {
                long cpu = CPU.getCurrentThreadCpuTime();
                double checksum = 0;
                for (int i = first; i < files.size(); i += n) {
                    GrayImage img = decoded != null ? decoded.get(i) : ImageDecoders.decode(files.get(i));
                    GrayImage out = pipeline == null ? img : pipeline.apply(img, false, i).image();
                    checksum += out.get(out.width() / 2, out.height() / 2) + (out.isValid(0, 0) ? 1 : 0);
                }
                return new long[] {CPU.getCurrentThreadCpuTime() - cpu, (long) checksum};
            }));
        }
        long cpu = 0;
        for (Future<long[]> f : parts) {
            cpu += f.get()[0];
        }
        return cpu;
    }

    /**
     * @param name       as for {@link #java}
     * @param list       file listing the images
     * @param stagesOnly as for {@link #java}
     * @param script     the Python script
     * @param o          settings
     * @return the best images/s of the Python rounds and the least CPU microseconds per image
     * @throws IOException when the Python side fails
     * @throws InterruptedException when interrupted while waiting for it
     */
    static double[] python(String name, Path list, boolean stagesOnly, Path script, Options o) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(o.python, script.toString(), "--files", list.toString(), "--pipeline", name,
                "--size", Integer.toString(o.size), "--threads", Integer.toString(o.threads),
                "--opencv-threads", Integer.toString(o.opencvThreads), "--warmup", Integer.toString(Math.max(o.warmup, 0)),
                "--rounds", Integer.toString(o.rounds)));
        if (stagesOnly) {
            cmd.add("--stages-only");
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int code = p.waitFor();
        if (code != 0 || out.isEmpty()) {
            throw new IOException("the Python benchmark failed (exit " + code + "): " + String.join(" ", cmd)
                    + "; it needs Debian's python3-opencv (apt-get install -y python3-opencv) run by " + o.python);
        }
        JsonNode n = new ObjectMapper().readTree(out.lines().reduce((a, b) -> b).orElse(out));
        double[] rates = new double[n.get("rounds").size()];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = n.get("rounds").get(i).asDouble();
        }
        double[] cpu = new double[n.get("cpuMicrosPerImage").size()];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = n.get("cpuMicrosPerImage").get(i).asDouble();
        }
        System.out.printf(Locale.ROOT, "  python %-8s%s images/s %s, CPU us/image %s (OpenCV %s)%n", name, stagesOnly ? " stages only" : "",
                Arrays.toString(round1(rates)), Arrays.toString(round1(cpu)), n.get("opencv").asText());
        return new double[] {Arrays.stream(rates).max().orElse(Double.NaN), Arrays.stream(cpu).min().orElse(Double.NaN)};
    }

    private static Path extractScript() throws IOException {
        Path script = Files.createTempFile("preprocess_bench-", ".py");
        try (InputStream in = PreprocessBenchmark.class.getResourceAsStream("/preprocess_bench.py")) {
            if (in == null) {
                throw new IOException("preprocess_bench.py is missing from the class path (build the module with Maven)");
            }
            Files.write(script, in.readAllBytes());
        }
        return script;
    }

    private static double[] round1(double[] v) {
        return Arrays.stream(v).map(x -> Math.round(x * 10) / 10.0).toArray();
    }
}
