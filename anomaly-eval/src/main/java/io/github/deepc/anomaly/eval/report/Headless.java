package io.github.deepc.anomaly.eval.report;

/** Makes AWT run without a display, unless the application chose a mode already. */
final class Headless {
    private Headless() {
    }

    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
