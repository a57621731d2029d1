package io.github.deepc.anomaly.core.spi;

/** The three extension points of the library. */
public enum PluginKind {
    /** {@link StageProvider}: preprocessing stages. */
    STAGE("stage", StageProvider.class),
    /** {@link ModelProvider}: anomaly models. */
    MODEL("model", ModelProvider.class),
    /** {@link ScorerProvider}: outlier scorers. */
    SCORER("scorer", ScorerProvider.class);

    private final String word;
    private final Class<? extends PluginProvider<?>> providerType;

    PluginKind(String word, Class<? extends PluginProvider<?>> providerType) {
        this.word = word;
        this.providerType = providerType;
    }

    /** @return the lowercase word used in messages ("stage", "model", "scorer") */
    public String word() {
        return word;
    }

    /** @return the service interface looked up with {@link java.util.ServiceLoader} */
    public Class<? extends PluginProvider<?>> providerType() {
        return providerType;
    }
}
