package io.github.deepc.anomaly.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.imageio.ImageDecoders;
import io.github.deepc.anomaly.core.detector.Detection;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The JSON API over real HTTP: scores equal to the library's, concurrent clients, and every bad request as 4xx. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoringServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 200_000;
    @TempDir
    static Path tmp;
    private ServerFixture f;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws IOException {
        f = new ServerFixture(tmp, MAX_BYTES);
    }

    @AfterAll
    void stop() {
        f.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(f.url(path))).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String type, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(f.url("/v1/score"))).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private List<Path> images() throws IOException {
        try (Stream<Path> s = Files.walk(f.data)) {
            return s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }

    @Test
    void healthAndDetectorDescribeTheService() throws Exception {
        JsonNode health = JSON.readTree(get("/v1/health").body());
        assertEquals("ok", health.get("status").asText());
        assertEquals(12, health.get("images").asInt());
        JsonNode det = JSON.readTree(get("/v1/detector").body());
        assertEquals("pca", det.get("config").get("model").get("id").asText());
        assertEquals(0.01, det.get("threshold").get("value").asDouble());
        assertEquals(30, det.get("provenance").get("trainingImages").asInt());
    }

    @Test
    void scoreEqualsTheLibrarysScoreAndReturnsAHeatMap() throws Exception {
        Path png = images().get(0);
        HttpResponse<String> r = post("image/png", Files.readAllBytes(png));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode n = JSON.readTree(r.body());
        GrayImage image = ImageDecoders.decode(png);
        Detection expected = f.detector.score(image);
        assertEquals(expected.score(), n.get("score").asDouble(), 1e-12);
        assertEquals(expected.score() >= 0.01 ? "abnormal" : "normal", n.get("decision").asText());
        assertEquals(0.01, n.get("threshold").asDouble());
        var heat = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(n.get("heatmapPng").asText())));
        assertEquals(32, heat.getWidth());
        assertEquals("pca{components=8}", n.get("detector").get("model").asText());
        try (Stream<Path> left = Files.list(f.work.resolve("uploads"))) {
            assertEquals(0, left.count(), "uploads are deleted after decoding");
        }
    }

    @Test
    void concurrentClientsGetTheSameScoresAsOneAtATime() throws Exception {
        List<Path> files = images();
        List<Double> serial = new ArrayList<>();
        for (Path p : files) {
            serial.add(JSON.readTree(post("image/png", Files.readAllBytes(p)).body()).get("score").asDouble());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Double>> futures = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (Path p : files) {
                    futures.add(pool.submit(() -> JSON.readTree(post("image/png", Files.readAllBytes(p)).body()).get("score").asDouble()));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(serial.get(i % files.size()), futures.get(i).get(), 0.0, "request " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void badRequestsAreClientErrorsWithAJsonMessage() throws Exception {
        assertError(post("image/png", "not an image".getBytes()), 400, "cannot decode the image");
        assertError(post("image/png", new byte[0]), 400, "empty request body");
        assertError(post("text/plain", Files.readAllBytes(images().get(0))), 415, "unsupported content type 'text/plain'");
        assertError(post("application/dicom", new byte[] {1, 2}), 415, "DICOM is not supported");
        assertError(post("image/png", new byte[MAX_BYTES + 1]), 413, "larger than the limit of " + MAX_BYTES);
        assertError(get("/v1/score"), 405, "method GET not allowed here; use POST");
        assertError(get("/v1/nothing"), 404, "no such resource");
        assertError(get("/v1/images/x"), 400, "image id must be a number");
        assertError(get("/v1/images/99"), 404, "no image 99");
    }

    private static void assertError(HttpResponse<String> r, int status, String fragment) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        JsonNode n = JSON.readTree(r.body());
        assertTrue(n.get("error").asText().contains(fragment), n.toString());
    }

    @Test
    void dataSetIsListedAndEachImageOpens() throws Exception {
        JsonNode list = JSON.readTree(get("/v1/images").body());
        assertEquals(12, list.size());
        JsonNode first = list.get(0);
        JsonNode one = JSON.readTree(get("/v1/images/" + first.get("id").asInt()).body());
        assertEquals(first.get("score").asDouble(), one.get("score").asDouble());
        for (String img : List.of("imagePng", "heatmapPng", "overlayPng")) {
            assertTrue(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(one.get(img).asText()))) != null, img);
        }
        assertTrue(get("/").body().contains("<title>Anomaly viewer</title>"));
    }
}
