package io.github.deepc.anomaly.core.spi;

/** A plugin could not be found, loaded or created; the message says which and why. */
public class PluginException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the plugin */
    public PluginException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the plugin
     * @param cause   the underlying failure
     */
    public PluginException(String message, Throwable cause) {
        super(message, cause);
    }
}
