package io.github.deepc.anomaly.core.spi;

/**
 * A provider that was declared in {@code META-INF/services} but could not be used (it failed to load, to
 * instantiate, or declared an invalid id). The registry keeps the others and reports these.
 *
 * @param kind        which extension point
 * @param description the provider (class name when known) and the reason
 * @param cause       the underlying error
 */
public record ProviderFailure(PluginKind kind, String description, Throwable cause) {
}
