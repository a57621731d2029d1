package io.github.deepc.anomaly.cli;

/**
 * An extra {@code anomaly} subcommand contributed by another module found on the class path, so that optional
 * modules (e.g. {@code anomaly-spark}'s {@code spark-score}) add commands without the CLI depending on them and their
 * dependencies. Implementations are picocli {@code @Command} classes with a public no-argument constructor, listed in
 * {@code META-INF/services/io.github.deepc.anomaly.cli.CommandExtension}; their {@code call()} returns the exit code.
 */
public interface CommandExtension extends java.util.concurrent.Callable<Integer> {
}
