package io.github.deepc.anomaly.core.plugin;

import io.github.deepc.anomaly.core.spi.DecoderProvider;
import io.github.deepc.anomaly.core.spi.ModelProvider;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.spi.PluginKind;
import io.github.deepc.anomaly.core.spi.PluginProvider;
import io.github.deepc.anomaly.core.spi.ProviderFailure;
import io.github.deepc.anomaly.core.spi.ScorerProvider;
import io.github.deepc.anomaly.core.spi.StageProvider;
import io.github.deepc.anomaly.core.model.OutputKind;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * All stage, model, scorer and image decoder providers found with {@link ServiceLoader}.
 *
 * <p>Discovery rules (in the manner of SLF4J 2's provider lookup): a provider that fails to load or declares an
 * id that is not lowercase-hyphenated is logged and reported in {@link #failures()} without hiding the others;
 * two providers of the same kind with the same id are an error naming both classes, because silently picking
 * one would make results depend on the class path order.
 */
public final class PluginRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
    private static volatile PluginRegistry defaultRegistry;

    private final PluginCatalog<StageProvider> stages;
    private final PluginCatalog<ModelProvider> models;
    private final PluginCatalog<ScorerProvider> scorers;
    private final PluginCatalog<DecoderProvider> decoders;

    private PluginRegistry(ClassLoader loader) {
        this.stages = discover(PluginKind.STAGE, StageProvider.class, loader);
        this.models = discover(PluginKind.MODEL, ModelProvider.class, loader);
        this.scorers = discover(PluginKind.SCORER, ScorerProvider.class, loader);
        this.decoders = discover(PluginKind.DECODER, DecoderProvider.class, loader);
    }

    /**
     * The registry of the class loader that loaded the library, discovered once.
     *
     * @return the shared registry
     * @throws PluginException when two providers share an id
     */
    public static PluginRegistry defaultRegistry() {
        PluginRegistry r = defaultRegistry;
        if (r == null) {
            synchronized (PluginRegistry.class) {
                if (defaultRegistry == null) {
                    defaultRegistry = load(PluginRegistry.class.getClassLoader());
                }
                r = defaultRegistry;
            }
        }
        return r;
    }

    /**
     * Discovers the providers visible to a class loader.
     *
     * @param loader where to look
     * @return a new registry
     * @throws PluginException when two providers share an id
     */
    public static PluginRegistry load(ClassLoader loader) {
        return new PluginRegistry(loader);
    }

    private static <P extends PluginProvider<?>> PluginCatalog<P> discover(PluginKind kind, Class<P> type, ClassLoader loader) {
        Map<String, P> byId = new LinkedHashMap<>();
        List<ProviderFailure> failures = new ArrayList<>();
        Iterator<ServiceLoader.Provider<P>> it = ServiceLoader.load(type, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<P> handle;
            try {
                if (!it.hasNext()) {
                    break;
                }
                handle = it.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                failures.add(fail(kind, e.getMessage(), e));
                continue;
            }
            String className = handle.type().getName();
            P provider;
            String id;
            try {
                provider = handle.get();
                id = provider.id();
                provider.parameters();
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                failures.add(fail(kind, className + ": " + rootMessage(e), e));
                continue;
            }
            if (id == null || !ID.matcher(id).matches()) {
                failures.add(fail(kind, className + ": id '" + id + "' is not lowercase-hyphenated", null));
                continue;
            }
            P previous = byId.putIfAbsent(id, provider);
            if (previous != null) {
                throw new PluginException("duplicate " + kind.word() + " id '" + id + "' declared by "
                        + previous.getClass().getName() + " and " + className);
            }
        }
        return new PluginCatalog<>(kind, byId, failures);
    }

    private static ProviderFailure fail(PluginKind kind, String description, Throwable cause) {
        LOG.warn("{} provider could not be loaded and is skipped: {}", kind.word(), description);
        return new ProviderFailure(kind, description, cause);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** @return the preprocessing stage providers */
    public PluginCatalog<StageProvider> stages() {
        return stages;
    }

    /** @return the model providers */
    public PluginCatalog<ModelProvider> models() {
        return models;
    }

    /**
     * @param modelId a model id
     * @return the scorers whose required outputs the model provides, sorted by id
     * @throws PluginException for an unknown model id
     */
    public List<ScorerProvider> scorersFor(String modelId) {
        Set<OutputKind> outputs = models.get(modelId).outputs();
        return scorers.providers().stream().filter(s -> outputs.containsAll(s.requiredOutputs())).toList();
    }

    /**
     * The one model/scorer compatibility check (detectors and experiments use it).
     *
     * @param model  a model spec
     * @param scorer a scorer spec
     * @return why the scorer cannot read the model's outputs, naming the scorers that can; empty when it fits or an id
     *         is unknown (validation reports that)
     */
    public Optional<String> incompatibility(PluginSpec model, PluginSpec scorer) {
        Optional<ModelProvider> mp = models.find(model.id());
        Optional<ScorerProvider> sp = scorers.find(scorer.id());
        if (mp.isEmpty() || sp.isEmpty() || mp.get().outputs().containsAll(sp.get().requiredOutputs())) {
            return Optional.empty();
        }
        return Optional.of("scorer '" + sp.get().id() + "' needs " + inOrder(sp.get().requiredOutputs())
                + " but model '" + mp.get().id() + "' produces only " + inOrder(mp.get().outputs())
                + "; scorers that fit this model: " + scorersFor(model.id()).stream().map(ScorerProvider::id).toList());
    }

    /**
     * @return the kinds in their declaration order: providers return {@code Set.of(...)}, whose iteration order
     *         changes from one JVM run to the next, and this text lands in experiment results
     */
    private static List<OutputKind> inOrder(Set<OutputKind> kinds) {
        return kinds.stream().sorted().toList();
    }

    /**
     * The scorer a detector gets when it names a model but no scorer: {@code preferred} (e.g. a preset's) when it
     * fits the model, else the model's own {@link ModelProvider#defaultScorer()} when that fits, else the first
     * fitting scorer by id.
     *
     * @param modelId   a model id
     * @param preferred the scorer to keep when it fits, or {@code null}
     * @return the scorer, or empty when none fits
     * @throws PluginException for an unknown model id
     */
    public Optional<PluginSpec> defaultScorer(String modelId, PluginSpec preferred) {
        List<ScorerProvider> fitting = scorersFor(modelId);
        List<String> ids = fitting.stream().map(ScorerProvider::id).toList();
        if (preferred != null && ids.contains(preferred.id())) {
            return Optional.of(preferred);
        }
        Optional<String> own = models.get(modelId).defaultScorer().filter(ids::contains);
        return own.or(() -> ids.stream().findFirst()).map(id -> new PluginSpec(id, Map.of()));
    }

    /** @return the scorer providers */
    public PluginCatalog<ScorerProvider> scorers() {
        return scorers;
    }

    /** @return the image decoder providers (see {@link io.github.deepc.anomaly.core.imageio.ImageDecoders}) */
    public PluginCatalog<DecoderProvider> decoders() {
        return decoders;
    }

    /** @return every provider that failed to load, over all kinds */
    public List<ProviderFailure> failures() {
        List<ProviderFailure> all = new ArrayList<>(stages.failures());
        all.addAll(models.failures());
        all.addAll(scorers.failures());
        all.addAll(decoders.failures());
        return all;
    }
}
