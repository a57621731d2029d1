package io.github.deepc.anomaly.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The demo's static HTML page: the summary figures and a gallery of the most and least abnormal test images. */
final class DemoReport {
    private DemoReport() {
    }

    static void write(Path file, Map<String, Object> summary, List<String> gallery) throws IOException {
        StringBuilder html = new StringBuilder("<!doctype html><html><head><meta charset=\"utf-8\"><title>Anomaly demo</title>"
                + "<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 10px;text-align:left}"
                + "figure{display:inline-block;margin:6px;text-align:center}img{width:160px;image-rendering:pixelated}</style>"
                + "</head><body><h1>Anomaly detection demo (generated hand phantoms)</h1><table>");
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            html.append("<tr><th>").append(escape(e.getKey())).append("</th><td>").append(escape(String.valueOf(e.getValue())))
                    .append("</td></tr>");
        }
        html.append("</table><h2>Most abnormal first, least abnormal last</h2>");
        for (String g : gallery) {
            String[] parts = g.split("\\|", 2);
            html.append("<figure><img src=\"").append(escape(parts[0])).append("\"><figcaption>").append(escape(parts[1]))
                    .append("</figcaption></figure>");
        }
        html.append("<p>Scores: <a href=\"scores.csv\">scores.csv</a>. Detector: demo.detector.</p></body></html>\n");
        Files.writeString(file, html);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
