package io.github.deepc.anomaly.spark;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spark-submit} entry point: {@code spark-submit --class io.github.deepc.anomaly.spark.SparkMain
 * anomaly-spark.jar spark-score --detector ... --data ... --out ...} (see the README for local and cluster command
 * lines). Also runnable as {@code java -jar anomaly-spark/target/anomaly-spark.jar ...} with Spark in {@code lib/}.
 */
@Command(name = "anomaly-spark", mixinStandardHelpOptions = true, description = "The anomaly library's jobs on Apache Spark.",
        subcommands = {SparkScoreCommand.class, SparkPreprocessCommand.class, SparkExperimentCommand.class,
            CommandLine.HelpCommand.class})
public final class SparkMain {
    private SparkMain() {
    }

    /**
     * Runs a command and exits with its status.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        // as the anomaly tool does: slf4j-simple (in target/lib) prints warnings only unless asked for more
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
        // experiment reports are drawn off-screen; the library leaves this JVM-wide choice to entry points
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs a command without exiting.
     *
     * @param args command-line arguments
     * @param out  standard output
     * @param err  standard error
     * @return 0 success, 1 failure, 2 usage error
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String m = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
            commandLine.getErr().println("error: " + m.replace('\n', ' '));
            commandLine.getErr().flush();
            return 1;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
