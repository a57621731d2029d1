package io.github.deepc.anomaly.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.deepc.anomaly.core.data.DataSet;
import io.github.deepc.anomaly.core.data.DataSets;
import io.github.deepc.anomaly.core.detector.BatchResult;
import io.github.deepc.anomaly.core.detector.Detection;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.heatmap.HeatmapOverlay;
import io.github.deepc.anomaly.core.progress.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local web viewer of a scored data set and a JSON scoring API, on the JDK's built-in HTTP server.
 *
 * <p>The JDK server is enough here: one process serving one user's browser and a few applications on the local
 * machine, with no TLS, sessions or streaming; it adds no dependency to the library. Request bodies are read up to a
 * size limit, every error is a 4xx/5xx answer with a JSON {@code {"error": "..."}} body, and requests are handled
 * on a small thread pool (scoring itself is serialised on the detector, see {@link ScoringService}).
 *
 * <p>Routes: {@code GET /} (the viewer page), {@code GET /v1/health}, {@code GET /v1/detector},
 * {@code POST /v1/score} (the image file as the body), {@code GET /v1/images} and {@code GET /v1/images/{id}}
 * (the data set scored at start-up, when one was given).
 */
public final class ScoringServer implements AutoCloseable {
    /** Largest accepted request body by default: 32 MiB, above any single radiograph PNG/JPEG. */
    public static final int DEFAULT_MAX_BYTES = 32 << 20;
    private static final Logger LOG = LoggerFactory.getLogger(ScoringServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/jpg", "image/tiff",
            "image/bmp", "application/octet-stream");
    private static final Set<String> DICOM_TYPES = Set.of("application/dicom", "application/dicom+json");

    private final ScoringService service;
    private final int maxBytes;
    private final List<Scored> images;
    private final double heatScale;
    private final HttpServer server;
    private final ExecutorService pool;

    /** One image of the browsed data set, scored at start-up. */
    private record Scored(int id, Detection detection) {
    }

    private ScoringServer(ScoringService service, List<Detection> scored, InetSocketAddress address, int maxBytes,
                          int threads) throws IOException {
        this.service = service;
        this.maxBytes = maxBytes;
        List<Scored> list = new ArrayList<>();
        for (int i = 0; i < scored.size(); i++) {
            list.add(new Scored(i, scored.get(i)));
        }
        this.images = List.copyOf(list);
        this.heatScale = scale(scored.stream().map(Detection::heatmap).filter(Objects::nonNull).toList());
        this.server = HttpServer.create(address, 0);
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "anomaly-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::route);
    }

    /**
     * Scores the data set (if any) and starts serving.
     *
     * @param service  the scoring service (its detector)
     * @param data     a folder of images to browse (class folders or loose images), or null for none
     * @param address  where to listen, e.g. {@code new InetSocketAddress("127.0.0.1", 8080)} (port 0: any free one)
     * @param maxBytes largest accepted request body
     * @return the running server
     * @throws IOException when the port cannot be bound
     */
    public static ScoringServer start(ScoringService service, Path data, InetSocketAddress address, int maxBytes)
            throws IOException {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maximum request size must be at least 1 byte, got " + maxBytes);
        }
        List<Detection> scored = List.of();
        if (data != null) {
            DataSet ds = DataSets.detect(data, service.detector().config().normalClass());
            BatchResult<Detection> r;
            synchronized (service.detector()) {
                r = service.detector().scoreAll(ds.samples(), ProgressListener.NONE);
            }
            r.failures().forEach(f -> LOG.warn("not shown, could not score {}: {}", f.item(), f.reason()));
            scored = r.results();
        }
        ScoringServer s = new ScoringServer(service, scored, address, maxBytes, 4);
        s.server.start();
        LOG.info("serving {} scored images on http://{}:{}/", scored.size(), address.getHostString(), s.port());
        return s;
    }

    /** @return the port listened on */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops serving (open exchanges get a second to finish). */
    @Override
    public void close() {
        server.stop(1);
        pool.shutdownNow();
    }

    private void route(HttpExchange ex) throws IOException {
        // the exchange is closed after the error handlers ran (a resource of the try would be closed before them)
        try (ex) {
            answer(ex);
        }
    }

    private void answer(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            if (path.equals("/") || path.equals("/index.html")) {
                requireMethod(method, "GET");
                send(ex, 200, "text/html; charset=utf-8", page());
            } else if (path.equals("/v1/health")) {
                requireMethod(method, "GET");
                json(ex, 200, Map.of("status", "ok", "images", images.size()));
            } else if (path.equals("/v1/detector")) {
                requireMethod(method, "GET");
                json(ex, 200, detectorInfo());
            } else if (path.equals("/v1/score")) {
                requireMethod(method, "POST");
                json(ex, 200, score(ex));
            } else if (path.equals("/v1/images")) {
                requireMethod(method, "GET");
                json(ex, 200, images.stream().map(this::summary).toList());
            } else if (path.startsWith("/v1/images/")) {
                requireMethod(method, "GET");
                json(ex, 200, image(path.substring("/v1/images/".length())));
            } else {
                throw new HttpError(404, "no such resource: " + path
                        + " (known: /, /v1/health, /v1/detector, /v1/score, /v1/images, /v1/images/{id})");
            }
        } catch (HttpError e) {
            error(ex, e.status, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("request {} failed", ex.getRequestURI(), e);
            error(ex, 500, "internal error: " + e.getMessage());
        }
    }

    private Map<String, Object> score(HttpExchange ex) throws IOException {
        // the body is read first, so that a refused request leaves nothing unread on the connection
        byte[] body = readLimited(ex.getRequestBody());
        String type = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type")).toLowerCase(Locale.ROOT)
                .split(";")[0].trim();
        if (DICOM_TYPES.contains(type)) {
            throw new HttpError(415, "DICOM is not supported by this build: send the image as PNG, JPEG or TIFF");
        }
        if (!IMAGE_TYPES.contains(type)) {
            throw new HttpError(415, "unsupported content type '" + type + "': send the image file as the body with"
                    + " Content-Type image/png, image/jpeg, image/tiff or application/octet-stream");
        }
        if (body.length == 0) {
            throw new HttpError(400, "empty request body: send the image file as the body");
        }
        ScoringService.Result r;
        try {
            r = service.score(body);
        } catch (IOException e) {
            throw new HttpError(400, "cannot decode the image: " + e.getMessage());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("score", r.score());
        m.put("decision", r.decision() < 0 ? null : r.decision() == 1 ? "abnormal" : "normal");
        m.put("threshold", r.threshold() == null ? null : r.threshold().value());
        m.put("imagePng", base64(ScoringService.png(HeatmapOverlay.renderGray(r.image()))));
        if (r.heatmap() != null) {
            double scale = heatScale > 0 ? heatScale : scale(List.of(r.heatmap()));
            m.put("heatmapScale", scale);
            m.put("heatmapPng", scale > 0 ? base64(ScoringService.png(HeatmapOverlay.renderHeat(r.heatmap(), scale))) : null);
            m.put("overlayPng", scale > 0 ? base64(ScoringService.overlayPng(r, scale)) : null);
        }
        m.put("detector", provenance());
        return m;
    }

    private byte[] readLimited(InputStream in) throws IOException {
        byte[] data = in.readNBytes(maxBytes + 1);
        if (data.length > maxBytes) {
            throw new HttpError(413, "request body is larger than the limit of " + maxBytes + " bytes");
        }
        return data;
    }

    private Map<String, Object> summary(Scored s) {
        Detection d = s.detection();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", d.sample().path().getFileName().toString());
        m.put("className", d.sample().className());
        m.put("label", d.sample().label().name().toLowerCase(Locale.ROOT));
        m.put("score", d.score());
        m.put("decision", d.decision().isPresent() ? (d.decision().getAsInt() == 1 ? "abnormal" : "normal") : null);
        return m;
    }

    private Map<String, Object> image(String id) throws IOException {
        int i;
        try {
            i = Integer.parseInt(id);
        } catch (NumberFormatException e) {
            throw new HttpError(400, "image id must be a number, got '" + id + "'");
        }
        if (i < 0 || i >= images.size()) {
            throw new HttpError(404, "no image " + i + " (ids are 0 to " + (images.size() - 1) + ")");
        }
        Detection d = images.get(i).detection();
        Map<String, Object> m = summary(images.get(i));
        m.put("imagePng", base64(ScoringService.png(HeatmapOverlay.renderGray(d.preprocessed()))));
        if (d.heatmap() != null && heatScale > 0) {
            m.put("heatmapScale", heatScale);
            m.put("heatmapPng", base64(ScoringService.png(HeatmapOverlay.renderHeat(d.heatmap(), heatScale))));
            m.put("overlayPng", base64(ScoringService.png(HeatmapOverlay.renderScaled(d.preprocessed(), d.heatmap(), 0.85, heatScale))));
        }
        return m;
    }

    private Map<String, Object> detectorInfo() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", service.detector().config());
        m.put("threshold", service.detector().threshold().orElse(null));
        m.put("provenance", service.detector().provenance());
        return m;
    }

    private Map<String, Object> provenance() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", service.detector().config().model().toString());
        m.put("scorer", service.detector().config().scorer().toString());
        var p = service.detector().provenance();
        if (p != null) {
            m.put("libraryVersion", p.libraryVersion());
            m.put("trainedAt", p.createdAt());
            m.put("trainingImages", p.trainingImages());
        }
        return m;
    }

    /** The 99.5th percentile of all heat values: one shared colour scale for every image shown. */
    static double scale(List<GrayImage> heatmaps) {
        int n = heatmaps.stream().mapToInt(GrayImage::size).sum();
        if (n == 0) {
            return 0;
        }
        float[] all = new float[n];
        int k = 0;
        for (GrayImage h : heatmaps) {
            float[] p = h.unsafePixels();
            boolean[] valid = h.unsafeMask();
            for (int i = 0; i < p.length; i++) {
                if (valid[i] && Float.isFinite(p[i])) {
                    all[k++] = p[i];
                }
            }
        }
        if (k == 0) {
            return 0;
        }
        float[] v = Arrays.copyOf(all, k);
        Arrays.sort(v);
        double q = v[(int) Math.floor(0.995 * (k - 1))];
        return q > 0 ? q : Math.max(0, v[k - 1]);
    }

    private static String base64(byte[] png) {
        return Base64.getEncoder().encodeToString(png);
    }

    private static void requireMethod(String method, String allowed) {
        if (!allowed.equals(method)) {
            throw new HttpError(405, "method " + method + " not allowed here; use " + allowed);
        }
    }

    private static byte[] page() throws IOException {
        try (InputStream in = ScoringServer.class.getResourceAsStream("viewer.html")) {
            if (in == null) {
                throw new IOException("viewer.html missing from the jar");
            }
            return in.readAllBytes();
        }
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        send(ex, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void error(HttpExchange ex, int status, String message) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("status", status);
        // a refused upload may not have been read to its end: the connection is not reused after an error
        ex.getResponseHeaders().set("Connection", "close");
        try {
            json(ex, status, m);
        } catch (IOException e) {
            LOG.debug("could not send error {} to the client: {}", status, e.getMessage());
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        // an unread request body (a rejected upload) is drained by the exchange when it closes
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    /** A request that ends with an HTTP error status and a message for the client. */
    private static final class HttpError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        HttpError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
