package io.github.deepc.anomaly.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The viewer page in a real browser (Debian's chromium and chromium-driver, driven by Selenium): the list sorts and
 * filters, an image opens with its heat map and decision, and an uploaded file is scored. Skipped with a message
 * where the browser or its driver is not installed (CI installs them: see .ci/run); nothing is downloaded.
 */
class ViewerBrowserTest {
    private static final Path CHROMIUM = Path.of(System.getProperty("anomaly.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("anomaly.chromedriver", "/usr/bin/chromedriver"));

    @TempDir
    Path tmp;

    @Test
    void browseSortFilterOpenAndUpload() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER), "browser test skipped: " + CHROMIUM
                + " and " + DRIVER + " are needed (Debian: apt-get install chromium chromium-driver)");
        try (ServerFixture f = new ServerFixture(tmp, ScoringServer.DEFAULT_MAX_BYTES)) {
            ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                    .usingAnyFreePort().build();
            WebDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                browser.get(f.url("/"));
                wait.until(b -> b.findElements(By.cssSelector("#images tbody tr")).size() == 12);
                assertTrue(browser.findElement(By.id("detector")).getText().contains("pca with masked-mse"));

                List<Double> desc = scores(browser);
                assertEquals(desc.stream().sorted((a, b) -> Double.compare(b, a)).toList(), desc, "highest first");
                browser.findElement(By.id("sort-score")).click();
                List<Double> asc = scores(browser);
                assertEquals(asc.stream().sorted().toList(), asc, "lowest first after a click");

                new Select(browser.findElement(By.id("filter-label"))).selectByValue("abnormal");
                wait.until(b -> b.findElements(By.cssSelector("#images tbody tr")).size() == 6);
                assertEquals("6 of 12 images", browser.findElement(By.id("count")).getText());

                browser.findElements(By.cssSelector("#images tbody tr")).get(0).click();
                wait.until(b -> b.findElement(By.id("detail")).isDisplayed());
                assertFalse(browser.findElement(By.id("detail-score")).getText().isEmpty());
                assertTrue(browser.findElement(By.id("detail-decision")).getText().startsWith("called "));
                for (String img : List.of("detail-image", "detail-heatmap", "detail-overlay")) {
                    WebElement e = browser.findElement(By.id(img));
                    assertTrue(String.valueOf(e.getAttribute("src")).startsWith("data:image/png;base64,"), img);
                    wait.until(b -> ((Number) ((org.openqa.selenium.JavascriptExecutor) b)
                            .executeScript("return arguments[0].complete ? arguments[0].naturalWidth : 0", e)).intValue() > 0);
                }

                Path upload;
                try (Stream<Path> s = Files.walk(f.data)) {
                    upload = s.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
                }
                browser.findElement(By.id("file-input")).sendKeys(upload.toAbsolutePath().toString());
                wait.until(b -> b.findElement(By.id("upload")).isDisplayed());
                double shown = Double.parseDouble(browser.findElement(By.id("upload-score")).getText());
                double expected = f.detector.score(io.github.deepc.anomaly.core.imageio.ImageDecoders.decode(upload)).score();
                assertEquals(expected, shown, Math.abs(expected) * 0.006, "the page shows the score to 3 digits");
            } finally {
                browser.quit();
            }
        }
    }

    private static List<Double> scores(WebDriver browser) {
        return browser.findElements(By.cssSelector("#images tbody td.score")).stream()
                .map(e -> Double.parseDouble(e.getText())).toList();
    }
}
