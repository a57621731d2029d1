package io.github.deepc.anomaly.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.core.data.ClassFolderLayout;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.presets.DetectorDefaults;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.model.AnomalyModel;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reference CAE, the library against PyTorch: trains {@code cae} ({@code architecture=reference}, batch 32, Adam
 * 1e-3, masked MSE) on the normal images of a class-folder data set and times the training loop and inference
 * alone (images decoded and preprocessed beforehand, as the PyTorch script does), after running
 * {@code ../shared/bench/reference_cae.py} first on the same folder with the same epochs and threads, and prints both
 * throughputs and the ratios Java/PyTorch.
 *
 * <p>It also watches native memory: resident set size (VmRSS) after every epoch of a {@code --rss-epochs} training
 * and after each of {@code --rss-rounds} repeated scoring passes, and prints the growth from the second reading on
 * (the first epoch allocates the workspace).
 *
 * <p>Options: {@code --data DIR} (default {@code ${anomaly.shared.dir}/data/chest-xray/train}), {@code --size N} (64),
 * {@code --epochs N} (3), {@code --limit N} training images (all), {@code --rss-epochs N} (20, 0 = skip),
 * {@code --rss-images N} (256), {@code --rss-rounds N} (20), {@code --python PATH} ({@code /usr/bin/python3}),
 * {@code --no-python}, {@code --engine direct|samediff} (the {@code cae} engine, {@code direct}). Set
 * {@code OMP_NUM_THREADS=2} for a fair comparison with {@code --threads 2} in PyTorch, and {@code OMP_PROC_BIND=true}
 * to measure the library as the CLI runs it (its {@code ThreadBindingLauncher}); PyTorch runs first and without the
 * binding, which slows it down.
 * Not a test: see the module's README.
 */
public final class CaeBenchmark {
    private CaeBenchmark() {
    }

    private static PluginSpec cae(int epochs, String engine) {
        return PluginSpec.of("cae", "epochs", Integer.toString(epochs), "engine", engine);
    }

    /**
     * @param args options, see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("anomaly.shared.dir", "../shared"));
        Path data = shared.resolve("data/chest-xray/train");
        int size = 64;
        int epochs = 3;
        int limit = Integer.MAX_VALUE;
        int rssEpochs = 20;
        int rssImages = 256;
        int rssRounds = 20;
        String python = "/usr/bin/python3";
        boolean runPython = true;
        String engine = "direct";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--limit" -> limit = Integer.parseInt(args[++i]);
                case "--rss-epochs" -> rssEpochs = Integer.parseInt(args[++i]);
                case "--rss-images" -> rssImages = Integer.parseInt(args[++i]);
                case "--rss-rounds" -> rssRounds = Integer.parseInt(args[++i]);
                case "--python" -> python = args[++i];
                case "--engine" -> engine = args[++i];
                case "--no-python" -> runPython = false;
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (see CaeBenchmark's javadoc)");
            }
        }
        // PyTorch first, before this JVM starts its native threads: run after them it was measured up to 30 % slower
        JsonNode py = runPython ? python(python, shared.resolve("bench/reference_cae.py"), data, size, epochs) : null;
        DataSet ds = ClassFolderLayout.withNormalClass("NORMAL").loadForTraining(data);
        List<Sample> normals = ds.normals().subList(0, Math.min(limit, ds.normals().size()));
        PluginRegistry registry = PluginRegistry.defaultRegistry();
        Pipeline pipeline = Pipeline.create(DetectorDefaults.pipeline(size), registry);
        List<GrayImage> train = prepare(normals, pipeline);
        List<GrayImage> all = prepare(ds.samples(), pipeline);
        System.out.printf(Locale.ROOT, "data %s: %d training normals, %d images scored, %d px, %d epochs, engine %s, "
                        + "OMP_NUM_THREADS=%s, OMP_PROC_BIND=%s%n", data, train.size(), all.size(), size, epochs, engine,
                System.getenv("OMP_NUM_THREADS"), System.getenv("OMP_PROC_BIND"));

        double trainRate;
        double scoreRate;
        try (AnomalyModel model = registry.models().create(cae(epochs, engine))) {
            TrainingSummary s = model.fit(train, new TrainingContext(1, ProgressListener.NONE));
            trainRate = s.imagesPerSecond();
            model.infer(all.subList(0, Math.min(64, all.size())));
            long t = System.nanoTime();
            model.infer(all);
            scoreRate = all.size() / ((System.nanoTime() - t) / 1e9);
        }
        System.out.printf(Locale.ROOT, "java   train %.1f images/s, score %.1f images/s%n", trainRate, scoreRate);

        if (rssEpochs > 0) {
            rss(train.subList(0, Math.min(rssImages, train.size())), all, rssEpochs, rssRounds, registry, engine);
        }
        if (py != null) {
            double pyTrain = py.get("train_images_per_s").asDouble();
            double pyScore = py.get("score_images_per_s").asDouble();
            System.out.printf(Locale.ROOT, "torch  train %.1f images/s, score %.1f images/s (torch %s)%n", pyTrain, pyScore,
                    py.get("torch").asText());
            System.out.printf(Locale.ROOT, "ratio  train %.3fx, score %.3fx (Java / PyTorch)%n", trainRate / pyTrain, scoreRate / pyScore);
        }
    }

    private static List<GrayImage> prepare(List<Sample> samples, Pipeline pipeline) throws IOException {
        List<GrayImage> out = new ArrayList<>();
        for (Sample s : samples) {
            out.add(pipeline.apply(DataSet.load(s), false, 0).image());
        }
        return out;
    }

    private static void rss(List<GrayImage> train, List<GrayImage> all, int epochs, int rounds, PluginRegistry registry,
                            String engine) {
        List<Long> perEpoch = new ArrayList<>();
        try (AnomalyModel model = registry.models().create(cae(epochs, engine))) {
            model.fit(train, new TrainingContext(2, new ProgressListener() {
                @Override
                public void onEpoch(EpochReport report) {
                    perEpoch.add(rssKiB());
                }
            }));
            List<Long> perRound = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                model.infer(all);
                perRound.add(rssKiB());
            }
            report("training, per epoch", perEpoch);
            report("scoring " + all.size() + " images, per round", perRound);
        }
    }

    private static void report(String what, List<Long> kib) {
        long second = kib.get(Math.min(1, kib.size() - 1));
        long last = kib.get(kib.size() - 1);
        long max = kib.stream().mapToLong(Long::longValue).max().orElse(0);
        System.out.printf(Locale.ROOT, "rss    %s: first %d MiB, second %d MiB, last %d MiB, max %d MiB, growth after the second %+d MiB%n",
                what, kib.get(0) / 1024, second / 1024, last / 1024, max / 1024, (last - second) / 1024);
        System.out.println("rss    every reading (MiB): " + kib.stream().map(k -> Long.toString(k / 1024)).toList());
    }

    /** Resident set size of this process in KiB (Linux), or -1. */
    static long rssKiB() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static JsonNode python(String python, Path script, Path data, int size, int epochs) throws IOException, InterruptedException {
        List<String> cmd = List.of(python, script.toString(), "--train", data.resolve("NORMAL").toString(), "--test", data.toString(),
                "--size", Integer.toString(size), "--epochs", Integer.toString(epochs), "--threads", "2");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // each side at its fastest: thread binding speeds ND4J up but slows PyTorch (742 -> 556 images/s measured)
        pb.environment().remove("OMP_PROC_BIND");
        Process p = pb.start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                last = line;
            }
        }
        if (p.waitFor() != 0 || last == null || !last.startsWith("{")) {
            throw new IOException("reference_cae.py failed (" + String.join(" ", cmd) + "); last line: " + last);
        }
        return new ObjectMapper().readTree(last);
    }
}
