package io.github.deepc.anomaly.models.selfsup;

import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.data.Sample;
import io.github.deepc.anomaly.models.TestPipelines;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import io.github.deepc.anomaly.core.model.ModelOutput;
import io.github.deepc.anomaly.core.model.TrainingContext;
import io.github.deepc.anomaly.core.model.TrainingSummary;
import io.github.deepc.anomaly.core.preprocessing.Pipeline;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import io.github.deepc.anomaly.core.score.OutlierScorer;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Not a test (its name matches no surefire pattern): measures {@code defect-localizer} on a shared data set with
 * patient-grouped hold-outs, e.g. {@code -Dtest=RealDataExperiment -Dx.data=hand-xray -Dx.size=64 -Dx.splits=1,2,3
 * -Dx.params=epochs=20,depth=4}. 70 % of the normal patients train; the other normals and the abnormal images of
 * patients outside the training part are scored. Prints ROC-AUC per scorer and split, and the times.
 */
class RealDataExperiment {
    @Test
    void run() throws Exception {
        String name = System.getProperty("x.data", "hand-xray");
        int size = Integer.getInteger("x.size", 64);
        int maxAbnormal = Integer.getInteger("x.maxAbnormal", 600);
        Path root = Path.of(System.getProperty("anomaly.shared.dir", "../../shared"), "data", name);
        if (name.equals("chest-xray")) {
            root = root.resolve("train");
        }
        Assumptions.assumeTrue(Files.isDirectory(root.resolve("NORMAL")), "no data at " + root);
        DataSet ds = DataSets.detect(root, "NORMAL");
        List<Sample> normals = new ArrayList<>(ds.normals());
        List<Sample> abnormals = new ArrayList<>(ds.abnormals());
        normals.sort(Comparator.comparing(Sample::id));
        abnormals.sort(Comparator.comparing(Sample::id));
        if (abnormals.size() > maxAbnormal) {
            List<Sample> shuffled = new ArrayList<>(abnormals);
            java.util.Collections.shuffle(shuffled, new java.util.Random(5));
            abnormals = new ArrayList<>(shuffled.subList(0, maxAbnormal));
            abnormals.sort(Comparator.comparing(Sample::id));
        }
        Pipeline pipeline = Pipeline.create(TestPipelines.equalized(size), PluginRegistry.defaultRegistry());
        long t0 = System.nanoTime();
        Map<Sample, GrayImage> images = new HashMap<>();
        for (Sample s : concat(normals, abnormals)) {
            images.put(s, pipeline.apply(ImageDecoders.decode(s.path()), false, 1).image());
        }
        System.out.printf(Locale.ROOT, "EXP %s: %d normals, %d abnormals, preprocessing %.1f s%n", name, normals.size(),
                abnormals.size(), (System.nanoTime() - t0) / 1e9);
        Map<String, String> params = new LinkedHashMap<>();
        for (String kv : System.getProperty("x.params", "").split(",")) {
            if (kv.contains("=")) {
                params.put(kv.substring(0, kv.indexOf('=')).trim(), kv.substring(kv.indexOf('=') + 1).trim().replace(';', ','));
            }
        }
        ModelProvider mp = null;
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class)) {
            if (p.id().equals("defect-localizer")) {
                mp = p;
            }
        }
        Map<String, List<Double>> aucs = new LinkedHashMap<>();
        for (String splitText : System.getProperty("x.splits", "1").split(",")) {
            long split = Long.parseLong(splitText.trim());
            TreeSet<String> patients = new TreeSet<>();
            normals.forEach(s -> patients.add(patient(name, s)));
            List<String> order = new ArrayList<>(patients);
            java.util.Collections.shuffle(order, new java.util.Random(split));
            Set<String> trainPatients = new java.util.HashSet<>(order.subList(0, (int) Math.round(0.7 * order.size())));
            List<GrayImage> train = new ArrayList<>();
            List<GrayImage> test = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            for (Sample s : normals) {
                if (trainPatients.contains(patient(name, s))) {
                    train.add(images.get(s));
                } else {
                    test.add(images.get(s));
                    labels.add(0);
                }
            }
            for (Sample s : abnormals) {
                if (!trainPatients.contains(patient(name, s))) {
                    test.add(images.get(s));
                    labels.add(1);
                }
            }
            try (var model = mp.create(params)) {
                TrainingSummary ts = model.fit(train, new TrainingContext(split * 31 + 1, ProgressListener.NONE));
                long s0 = System.nanoTime();
                List<ModelOutput> out = model.infer(test);
                double scoreSeconds = (System.nanoTime() - s0) / 1e9;
                List<ModelOutput> trainOut = model.infer(train);
                Map<String, OutlierScorer> scorers = new LinkedHashMap<>();
                scorers.put("map-max", scorer("anomaly-map", Map.of()));
                scorers.put("map-top1%", scorer("anomaly-map", Map.of("reduce", "top-k-mean", "fraction", "0.01")));
                scorers.put("map-top5%", scorer("anomaly-map", Map.of("reduce", "top-k-mean", "fraction", "0.05")));
                scorers.put("knn-latent", scorer("knn", Map.of("k", "3")));
                StringBuilder line = new StringBuilder();
                for (var e : scorers.entrySet()) {
                    OutlierScorer sc = e.getValue();
                    if (sc.needsFit()) {
                        sc.fit(trainOut);
                    }
                    List<Double> n0 = new ArrayList<>();
                    List<Double> n1 = new ArrayList<>();
                    for (int i = 0; i < out.size(); i++) {
                        (labels.get(i) == 0 ? n0 : n1).add(sc.score(out.get(i)).value());
                    }
                    double auc = io.github.deepc.anomaly.models.PhantomHeat.auc(n0.stream().mapToDouble(d -> d).toArray(),
                            n1.stream().mapToDouble(d -> d).toArray());
                    aucs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(auc);
                    line.append(String.format(Locale.ROOT, " %s %.3f", e.getKey(), auc));
                }
                System.out.printf(Locale.ROOT, "EXP %s %dpx split %d params %s: train %d (%.1f s, %.0f img/s, loss %.4f), "
                        + "test %d (%d abnormal), scoring %.0f img/s:%s%n", name, size, split, params, train.size(),
                        ts.seconds(), ts.imagesPerSecond(), ts.finalLoss(), test.size(),
                        labels.stream().mapToInt(i -> i).sum(), test.size() / scoreSeconds, line);
            }
        }
        StringBuilder sum = new StringBuilder();
        for (var e : aucs.entrySet()) {
            double mean = e.getValue().stream().mapToDouble(d -> d).average().orElse(0);
            double var = e.getValue().stream().mapToDouble(d -> (d - mean) * (d - mean)).sum()
                    / Math.max(1, e.getValue().size() - 1);
            sum.append(String.format(Locale.ROOT, " %s %.3f +- %.3f", e.getKey(), mean, Math.sqrt(var)));
        }
        System.out.printf(Locale.ROOT, "EXP SUMMARY %s %dpx params %s:%s%n", name, size, params, sum);
    }

    private static OutlierScorer scorer(String id, Map<String, String> p) {
        for (ScorerProvider s : ServiceLoader.load(ScorerProvider.class)) {
            if (s.id().equals(id)) {
                return s.create(p);
            }
        }
        throw new IllegalArgumentException(id);
    }

    /** Adult chest: the first 8 characters of the file name (NIH's patient number); else the loader's patient id. */
    private static String patient(String data, Sample s) {
        if (data.equals("adult-chest-xray")) {
            return s.path().getFileName().toString().substring(0, 8);
        }
        return s.patientId() == null ? s.id() : s.patientId();
    }

    private static List<Sample> concat(List<Sample> a, List<Sample> b) {
        List<Sample> c = new ArrayList<>(a);
        c.addAll(b);
        return c;
    }
}
