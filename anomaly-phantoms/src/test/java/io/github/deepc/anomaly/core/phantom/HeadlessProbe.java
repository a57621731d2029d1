package io.github.deepc.anomaly.core.phantom;

import java.awt.GraphicsEnvironment;
import java.nio.file.Path;

/** Run in a child JVM by {@link HeadlessPhantomTest}: renders and writes phantoms, exits 0 when all went well. */
final class HeadlessProbe {
    private HeadlessProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (!GraphicsEnvironment.isHeadless()) {
            System.err.println("expected a headless JVM");
            System.exit(3);
        }
        HandPhantomGenerator g = HandPhantomGenerator.ofSize(48);
        for (AnomalyKind k : AnomalyKind.values()) {
            g.generate(5, k);
        }
        new PhantomDataSetWriter(g).write(Path.of(args[0]), 1, 3, 5);
        System.out.println(g.generate(5, AnomalyKind.LESION).image().hashCode());
    }
}
