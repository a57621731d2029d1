package io.github.deepc.anomaly.core.plugin;

import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.spi.PluginException;
import io.github.deepc.anomaly.core.spi.PluginKind;
import io.github.deepc.anomaly.core.spi.PluginProvider;
import io.github.deepc.anomaly.core.spi.ProviderFailure;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The providers of one {@link PluginKind}, by id.
 *
 * @param <P> provider type
 */
public final class PluginCatalog<P extends PluginProvider<?>> {
    private final PluginKind kind;
    private final Map<String, P> byId;
    private final List<ProviderFailure> failures;

    PluginCatalog(PluginKind kind, Map<String, P> byId, List<ProviderFailure> failures) {
        this.kind = kind;
        this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
        this.failures = List.copyOf(failures);
    }

    /** @return which extension point this catalog serves */
    public PluginKind kind() {
        return kind;
    }

    /** @return the available ids, sorted */
    public List<String> ids() {
        return new ArrayList<>(byId.keySet());
    }

    /** @return the providers, sorted by id */
    public List<P> providers() {
        return new ArrayList<>(byId.values());
    }

    /**
     * @param id provider id
     * @return the provider, if available
     */
    public Optional<P> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * @param id provider id
     * @return the provider
     * @throws PluginException for an unknown id, listing the available ids (and broken providers, if any)
     */
    public P get(String id) {
        P p = byId.get(id);
        if (p == null) {
            StringBuilder msg = new StringBuilder("unknown ").append(kind.word()).append(" '").append(id)
                    .append("'; available: ").append(byId.isEmpty() ? "(none)" : String.join(", ", byId.keySet()));
            if (!failures.isEmpty()) {
                msg.append("; providers that failed to load: ");
                msg.append(String.join("; ", failures.stream().map(ProviderFailure::description).toList()));
            }
            throw new PluginException(msg.toString());
        }
        return p;
    }

    /**
     * Creates an instance from an id and string parameters.
     *
     * @param spec id and parameters
     * @param <T>  the created type
     * @return the new instance
     * @throws PluginException for an unknown id or invalid parameters
     */
    @SuppressWarnings("unchecked")
    public <T> T create(PluginSpec spec) {
        P p = get(spec.id());
        try {
            return (T) p.create(spec.params());
        } catch (PluginException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new PluginException(e.getMessage(), e);
        }
    }

    /**
     * Validates parameters without creating anything.
     *
     * @param spec id and parameters
     * @return the parsed parameters
     * @throws PluginException for an unknown id or invalid parameters
     */
    public Parameters validate(PluginSpec spec) {
        P p = get(spec.id());
        try {
            return Parameters.parse(p.id(), p.parameters(), spec.params());
        } catch (IllegalArgumentException e) {
            throw new PluginException(e.getMessage(), e);
        }
    }

    /**
     * "Set parameter X on every plugin that declares it", written once (image size on stages, epochs on models, ...).
     *
     * @param spec  a plugin spec
     * @param name  a parameter name
     * @param value its value
     * @return the spec with the parameter set when its provider declares it; otherwise (or for an unknown id, which
     *         validation reports) the spec unchanged
     */
    public PluginSpec withIfDeclared(PluginSpec spec, String name, String value) {
        return declares(spec.id(), name) ? spec.with(name, value) : spec;
    }

    /**
     * @param id   a provider id
     * @param name a parameter name
     * @return whether that provider exists and declares the parameter
     */
    public boolean declares(String id, String name) {
        P p = byId.get(id);
        return p != null && p.parameters().stream().anyMatch(s -> s.name().equals(name));
    }

    /** @return providers of this kind that failed to load */
    public List<ProviderFailure> failures() {
        return failures;
    }
}
