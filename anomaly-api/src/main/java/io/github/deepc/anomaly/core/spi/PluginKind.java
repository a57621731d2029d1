package io.github.deepc.anomaly.core.spi;

/** The extension points of the library. */
public enum PluginKind {
    /** {@link StageProvider}: preprocessing stages. */
    STAGE("stage", StageProvider.class),
    /** {@link ModelProvider}: anomaly models. */
    MODEL("model", ModelProvider.class),
    /** {@link ScorerProvider}: outlier scorers. */
    SCORER("scorer", ScorerProvider.class),
    /** {@link DecoderProvider}: image file decoders. */
    DECODER("decoder", DecoderProvider.class);

    private final String word;
    private final Class<? extends PluginProvider<?>> providerType;

    PluginKind(String word, Class<? extends PluginProvider<?>> providerType) {
        this.word = word;
        this.providerType = providerType;
    }

    /** @return the lowercase word used in messages ("stage", "model", "scorer", "decoder") */
    public String word() {
        return word;
    }

    /** @return the service interface looked up with {@link java.util.ServiceLoader} */
    public Class<? extends PluginProvider<?>> providerType() {
        return providerType;
    }
}
