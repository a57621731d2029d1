package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.models.conv.ParallelRanges;
import io.github.deepc.anomaly.core.io.AtomicFiles;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code anomaly} command-line tool. */
@Command(name = "anomaly", mixinStandardHelpOptions = true, versionProvider = AnomalyCli.Version.class,
        description = "Unsupervised anomaly detection in X-ray images.",
        subcommands = {PluginsCommand.class, TrainCommand.class, ScoreCommand.class, EvaluateCommand.class,
            DemoCommand.class, ExperimentCommand.class, ReportCommand.class, ThresholdCommand.class, PreprocessCommand.class, ServeCommand.class,
            CommandLine.HelpCommand.class})
public final class AnomalyCli {
    /** Exit code for failures of the work itself (missing folder, corrupt file...). */
    static final int FAILURE = 1;
    /** Exit code of {@code score} (and {@code spark-score}) when some images could not be scored (the others are in the output). */
    public static final int SOME_FAILED = 3;
    /** Exit code of {@code score} (and {@code spark-score}) when no image could be scored. */
    public static final int ALL_FAILED = 4;

    // read from the arguments before picocli runs (the logger is configured once, at its first use); declared here
    // so that every command accepts and documents them
    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only errors and results: no warnings from the library.")
    boolean quiet;

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "Also print the library's informational messages (training figures, choices made).")
    boolean verbose;

    private AnomalyCli() {
    }

    /**
     * Runs the tool and exits with its status.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        // a process stopped by a signal publishes no half-written output and leaves no temporary file
        Runtime.getRuntime().addShutdownHook(new Thread(AtomicFiles::abandonAll, "anomaly-abandon-outputs"));
        ThreadBindingLauncher.exitWithParent(System.getenv());
        if (ThreadBindingLauncher.wanted(System.getenv())) {
            Optional<Integer> code = ThreadBindingLauncher.relaunch(args);
            if (code.isPresent()) {
                System.exit(code.get());
            }
        }
        // reports and heat maps are drawn off-screen: no AWT window system, whatever DISPLAY says (the library
        // leaves this JVM-wide choice to entry points like this one)
        System.setProperty("java.awt.headless", System.getProperty("java.awt.headless", "true"));
        // the engine's worker threads, started before ND4J loads so that OpenMP's binding leaves them all cores
        ParallelRanges.prestart();
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the tool without exiting (for tests and embedding).
     *
     * @param args command-line arguments
     * @param out  standard output
     * @param err  standard error
     * @return the exit code: 0 success, 1 failure, 2 usage error
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        // warnings are shown by default (e.g. PCA keeping fewer components than asked); --quiet and --verbose
        // move the level unless a system property already chose one
        List<String> given = Arrays.asList(args);
        String level = given.contains("--verbose") ? "info" : given.contains("-q") || given.contains("--quiet") ? "error" : "warn";
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", level));
        System.setProperty("org.slf4j.simpleLogger.showThreadName", System.getProperty("org.slf4j.simpleLogger.showThreadName", "false"));
        System.setProperty("org.slf4j.simpleLogger.showLogName", System.getProperty("org.slf4j.simpleLogger.showLogName", "false"));
        System.setProperty("org.slf4j.simpleLogger.showShortLogName", System.getProperty("org.slf4j.simpleLogger.showShortLogName", "true"));
        System.setProperty("org.slf4j.simpleLogger.logFile", System.getProperty("org.slf4j.simpleLogger.logFile", "System.err"));
        // ND4J warns about its own duplicate TensorFlow op mappings at start-up: noise for our users
        System.setProperty("org.slf4j.simpleLogger.log.org.nd4j.imports", "error");
        CommandLine cl = new CommandLine(new AnomalyCli());
        addExtensions(cl, err);
        cl.setOut(out);
        cl.setErr(err);
        addHelpOptions(cl);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + oneLine(e));
            commandLine.getErr().flush();
            return FAILURE;
        });
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Adds the subcommands of optional modules on the class path ({@link CommandExtension}); a broken one is reported. */
    private static void addExtensions(CommandLine cl, PrintWriter err) {
        var it = java.util.ServiceLoader.load(CommandExtension.class, AnomalyCli.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return;
                }
                cl.addSubcommand(it.next());
            } catch (java.util.ServiceConfigurationError | LinkageError | CommandLine.InitializationException e) {
                err.println("warning: skipping a command extension that failed to load: " + oneLine(e));
            }
        }
    }

    /** {@code anomaly <command> --help} prints that command's help and exits 0, for every command. */
    private static void addHelpOptions(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            CommandSpec spec = sub.getCommandSpec();
            if (spec.findOption("--help") == null && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                spec.addOption(OptionSpec.builder(spec.findOption("-h") == null ? new String[] {"-h", "--help"}
                        : new String[] {"--help"}).usageHelp(true).description("Show this help message and exit.").build());
            }
            addHelpOptions(sub);
        }
    }

    private static String oneLine(Throwable e) {
        if (e instanceof FileSystemException fse) {
            // these carry a bare path as their message
            return "cannot access a file: " + AtomicFiles.reason(fse);
        }
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getClass().getSimpleName();
        }
        return m.replace('\n', ' ');
    }

    /** Prints the library version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"anomaly " + io.github.deepc.anomaly.core.detector.Provenance.currentLibraryVersion()};
        }
    }
}
