/**
 * The static HTML report of an experiment ({@link io.github.deepc.anomaly.eval.report.HtmlReport}) with its PNG
 * charts ({@link io.github.deepc.anomaly.eval.report.Charts}, XChart, headless).
 */
package io.github.deepc.anomaly.eval.report;
