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
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.progress.EpochReport;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deep models ({@code deep-svdd}, {@code dcgan}, {@code bigan}, {@code alpha-gan}) at their default sizes against
 * their PyTorch twins ({@code src/main/python/deep_twins.py}, shipped in the jar and extracted at run time), on the
 * same preprocessed images: the library's default pipeline prepares them once, they are written to {@code .npy}
 * files that the twin reads, and both sides train and score them with the same epochs, batch size and threads.
 *
 * <p>Per model it prints images/s for training (all epochs, and after the first) and scoring (the first round, and the
 * median of the rounds: the first carries the JVM's compilation, which the rounds after it no longer pay) on both
 * sides, the ratios library/PyTorch, the parameter counts of both (the benchmark fails, after printing everything, when they differ)
 * and each process's resident set size (VmRSS) at start, after every epoch and after every scoring round, to show
 * whether memory stays flat. All twins run first, before this JVM loads ND4J's native threads (PyTorch run after them
 * was measured up to 40 % slower in {@link CaeBenchmark}), and without {@code OMP_PROC_BIND}.
 *
 * <p>Options: {@code --data DIR} (default {@code ${anomaly.shared.dir}/data/chest-xray/train}), {@code --models LIST}
 * ({@code deep-svdd,dcgan,bigan,alpha-gan}), {@code --size N} (64), {@code --train-images N} (256 normals),
 * {@code --score-images N} (512, normal and abnormal), {@code --epochs N} (3), {@code --score-rounds N} (3),
 * {@code --threads N} (PyTorch threads, 2), {@code --python PATH} ({@code /usr/bin/python3}), {@code --no-python},
 * {@code --work DIR} (where the {@code .npy} files go; a temporary folder by default), {@code --engine E} (the
 * library models' {@code engine} parameter, {@code direct} or {@code samediff}; their default when absent),
 * {@code --param KEY=VALUE} (another parameter for every library model, repeatable; e.g. {@code attention=false}).
 * Not a test: see the module's
 * README.
 */
public final class DeepModelBenchmark {
    private static final List<String> MODELS = List.of("deep-svdd", "dcgan", "bigan", "alpha-gan");
    private static final long SEED = 1;

    private DeepModelBenchmark() {
    }

    /** One side's figures for one model. */
    private record Side(long parameters, double train, double trainAfterFirst, double score, double scoreMedian,
                        long rssStart, List<Long> rssEpochs, List<Long> rssScoring) {
    }

    /**
     * @param args options, see the class comment
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path shared = Path.of(System.getProperty("anomaly.shared.dir", "../shared"));
        Path data = shared.resolve("data/chest-xray/train");
        List<String> models = MODELS;
        int size = 64;
        int trainImages = 256;
        int scoreImages = 512;
        int epochs = 3;
        int scoreRounds = 3;
        int threads = 2;
        String python = "/usr/bin/python3";
        boolean runPython = true;
        Path work = null;
        String engine = null;
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data" -> data = Path.of(args[++i]);
                case "--models" -> models = List.of(args[++i].split(","));
                case "--size" -> size = Integer.parseInt(args[++i]);
                case "--train-images" -> trainImages = Integer.parseInt(args[++i]);
                case "--score-images" -> scoreImages = Integer.parseInt(args[++i]);
                case "--epochs" -> epochs = Integer.parseInt(args[++i]);
                case "--score-rounds" -> scoreRounds = Integer.parseInt(args[++i]);
                case "--threads" -> threads = Integer.parseInt(args[++i]);
                case "--python" -> python = args[++i];
                case "--no-python" -> runPython = false;
                case "--work" -> work = Path.of(args[++i]);
                case "--engine" -> engine = args[++i];
                case "--param" -> {
                    String[] kv = args[++i].split("=", 2);
                    if (kv.length != 2 || kv[0].isBlank()) {
                        throw new IllegalArgumentException("--param needs KEY=VALUE, got " + args[i]);
                    }
                    extra.add(kv[0]);
                    extra.add(kv[1]);
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (see DeepModelBenchmark's javadoc)");
            }
        }
        for (String m : models) {
            if (!MODELS.contains(m)) {
                throw new IllegalArgumentException("--models: unknown model '" + m + "'; available: " + MODELS);
            }
        }
        DataSet ds = ClassFolderLayout.withNormalClass("NORMAL").loadForTraining(data);
        PluginRegistry registry = PluginRegistry.defaultRegistry();
        Pipeline pipeline = Pipeline.create(DetectorDefaults.pipeline(size), registry);
        List<GrayImage> train = prepare(ds.normals().subList(0, Math.min(trainImages, ds.normals().size())), pipeline);
        List<GrayImage> score = prepare(spread(ds.samples(), scoreImages), pipeline);
        Path dir = work != null ? Files.createDirectories(work) : Files.createTempDirectory("deep-twins");
        NpyFiles.write(dir.resolve("train.npy"), train, false);
        NpyFiles.write(dir.resolve("train-masks.npy"), train, true);
        NpyFiles.write(dir.resolve("score.npy"), score, false);
        NpyFiles.write(dir.resolve("score-masks.npy"), score, true);
        System.out.printf(Locale.ROOT, "data %s: %d training normals, %d images scored (%s), %d px, %d epochs, %d scoring "
                        + "rounds, PyTorch threads %d; OMP_NUM_THREADS=%s OMP_PROC_BIND=%s OPENBLAS_CORETYPE=%s "
                        + "OPENBLAS_L2_SIZE=%s OPENBLAS_NUM_THREADS=%s; load average %s%n", data, train.size(),
                score.size(), dir, size, epochs, scoreRounds, threads, System.getenv("OMP_NUM_THREADS"),
                System.getenv("OMP_PROC_BIND"), System.getenv("OPENBLAS_CORETYPE"), System.getenv("OPENBLAS_L2_SIZE"),
                System.getenv("OPENBLAS_NUM_THREADS"), loadAverage());

        // PyTorch first, before this JVM starts ND4J's native threads
        Map<String, Side> torch = new LinkedHashMap<>();
        if (runPython) {
            Path script = extractScript(dir);
            for (String m : models) {
                torch.put(m, twin(python, script, m, dir, epochs, scoreRounds, threads));
            }
        }
        Map<String, Side> library = new LinkedHashMap<>();
        for (String m : models) {
            library.put(m, library(registry, m, train, score, epochs, scoreRounds, engine, extra));
        }
        report(models, library, torch);
    }

    /** Picks {@code n} samples spread evenly over the list (so that every class is represented), in order. */
    private static List<Sample> spread(List<Sample> all, int n) {
        if (n >= all.size()) {
            return all;
        }
        List<Sample> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(all.get((int) ((long) i * all.size() / n)));
        }
        return out;
    }

    private static List<GrayImage> prepare(List<Sample> samples, Pipeline pipeline) throws IOException {
        List<GrayImage> out = new ArrayList<>();
        for (Sample s : samples) {
            out.add(pipeline.apply(DataSet.load(s), false, 0).image());
        }
        return out;
    }

    private static Side library(PluginRegistry registry, String id, List<GrayImage> train, List<GrayImage> score,
                                int epochs, int rounds, String engine, List<String> extra) throws IOException {
        List<EpochReport> reports = new ArrayList<>();
        List<Long> rssEpochs = new ArrayList<>();
        List<Long> rssScoring = new ArrayList<>();
        long rssStart = CaeBenchmark.rssKiB();
        List<String> kv = new ArrayList<>(List.of("epochs", Integer.toString(epochs)));
        if (engine != null) {
            kv.addAll(List.of("engine", engine));
        }
        kv.addAll(extra);
        PluginSpec spec = PluginSpec.of(id, kv.toArray(String[]::new));
        try (AnomalyModel model = registry.models().create(spec)) {
            model.fit(train, new TrainingContext(SEED, new ProgressListener() {
                @Override
                public void onEpoch(EpochReport report) {
                    reports.add(report);
                    rssEpochs.add(CaeBenchmark.rssKiB());
                }
            }));
            long parameters = LibraryParameters.count(model);
            model.infer(score.subList(0, Math.min(64, score.size()))); // warm-up, as the twin
            List<Double> rates = new ArrayList<>();
            for (int r = 0; r < Math.max(1, rounds); r++) {
                long t = System.nanoTime();
                model.infer(score);
                rates.add(score.size() / ((System.nanoTime() - t) / 1e9));
                rssScoring.add(CaeBenchmark.rssKiB());
            }
            Side side = new Side(parameters, rate(reports, train.size(), 0), rate(reports, train.size(), 1),
                    rates.get(0), median(rates), rssStart, rssEpochs, rssScoring);
            System.out.printf(Locale.ROOT, "library %-9s train %.1f images/s (%.1f after the first epoch), score %.1f "
                            + "images/s (median of the rounds %.1f), %d parameters%n", id, side.train(),
                    side.trainAfterFirst(), side.score(), side.scoreMedian(), parameters);
            return side;
        }
    }

    private static String scores(Side s) {
        return String.format(Locale.ROOT, "%.1f (%.1f)", s.score(), s.scoreMedian());
    }

    /** The median (for an even count, the mean of the middle two). */
    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** Training images/s over the epochs from {@code from} on (the epoch reports' own timings). */
    private static double rate(List<EpochReport> reports, int images, int from) {
        double seconds = 0;
        for (int i = from; i < reports.size(); i++) {
            seconds += reports.get(i).seconds();
        }
        return reports.size() > from && seconds > 0 ? (double) images * (reports.size() - from) / seconds : Double.NaN;
    }

    private static Path extractScript(Path dir) throws IOException {
        Path script = dir.resolve("deep_twins.py");
        try (InputStream in = DeepModelBenchmark.class.getResourceAsStream("/deep_twins.py")) {
            if (in == null) {
                throw new IOException("deep_twins.py is not on the class path (build the module with mvn package)");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        return script;
    }

    private static Side twin(String python, Path script, String model, Path dir, int epochs, int rounds, int threads)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(python, script.toString(), "--model", model,
                "--images", dir.resolve("train.npy").toString(), "--masks", dir.resolve("train-masks.npy").toString(),
                "--score-images", dir.resolve("score.npy").toString(),
                "--score-masks", dir.resolve("score-masks.npy").toString(),
                "--epochs", Integer.toString(epochs), "--score-rounds", Integer.toString(rounds),
                "--threads", Integer.toString(threads), "--seed", Long.toString(SEED));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // each side at its fastest: thread binding speeds ND4J up but slows PyTorch (CaeBenchmark)
        pb.environment().remove("OMP_PROC_BIND");
        Process p = pb.start();
        String last = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.startsWith("{")) {
                    System.out.println("torch   " + model + ": " + line);
                }
                last = line;
            }
        }
        if (p.waitFor() != 0 || last == null || !last.startsWith("{")) {
            throw new IOException("deep_twins.py failed (" + String.join(" ", cmd) + "); last line: " + last);
        }
        JsonNode j = new ObjectMapper().readTree(last);
        JsonNode rss = j.get("rss_kib");
        Side side = new Side(j.get("parameters").asLong(), j.get("train_images_per_s").asDouble(),
                j.get("train_images_per_s_after_first").asDouble(Double.NaN), j.get("score_images_per_s").asDouble(),
                j.get("score_images_per_s_median").asDouble(), rss.get("start").asLong(), longs(rss.get("epochs")),
                longs(rss.get("score_rounds")));
        System.out.printf(Locale.ROOT, "torch   %-9s train %.1f images/s (%.1f after the first epoch), score %.1f "
                        + "images/s (median of the rounds %.1f), %d parameters (torch %s)%n", model, side.train(),
                side.trainAfterFirst(), side.score(), side.scoreMedian(), side.parameters(), j.get("torch").asText());
        return side;
    }

    private static List<Long> longs(JsonNode array) {
        List<Long> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asLong()));
        return out;
    }

    private static void report(List<String> models, Map<String, Side> library, Map<String, Side> torch) {
        System.out.println();
        System.out.println("| model | parameters | library train | PyTorch train | ratio (after 1st epoch) | library score "
                + "(median) | PyTorch score (median) | ratio (of medians) | library RSS MiB start / epochs / scoring | "
                + "PyTorch RSS MiB start / epochs / scoring |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
        List<String> mismatches = new ArrayList<>();
        for (String m : models) {
            Side l = library.get(m);
            Side t = torch.get(m);
            String params = Long.toString(l.parameters());
            if (t != null && t.parameters() != l.parameters()) {
                params = l.parameters() + " vs " + t.parameters() + " (DIFFER)";
                mismatches.add(m + ": library " + l.parameters() + ", PyTorch twin " + t.parameters());
            }
            System.out.printf(Locale.ROOT, "| `%s` | %s | %.1f | %s | %s | %s | %s | %s | %s | %s |%n", m, params,
                    l.train(), t == null ? "" : fmt(t.train()),
                    t == null ? "" : String.format(Locale.ROOT, "%.2fx (%.2fx)", l.train() / t.train(),
                            l.trainAfterFirst() / t.trainAfterFirst()),
                    scores(l), t == null ? "" : scores(t),
                    t == null ? "" : String.format(Locale.ROOT, "%.2fx (%.2fx)", l.score() / t.score(),
                            l.scoreMedian() / t.scoreMedian()),
                    rss(l), t == null ? "" : rss(t));
        }
        if (!mismatches.isEmpty()) {
            throw new IllegalStateException("the PyTorch twins' parameter counts differ from the library's, so they are "
                    + "not the same networks: " + mismatches);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Start, every epoch, every scoring round, in MiB. */
    private static String rss(Side s) {
        return s.rssStart() / 1024 + " / " + mib(s.rssEpochs()) + " / " + mib(s.rssScoring());
    }

    private static String mib(List<Long> kib) {
        return String.join(" ", kib.stream().map(k -> Long.toString(k / 1024)).toList());
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
