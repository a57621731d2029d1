package io.github.deepc.anomaly.cli;

import io.github.deepc.anomaly.core.spi.ParameterSpec;
import io.github.deepc.anomaly.core.plugin.PluginCatalog;
import io.github.deepc.anomaly.core.spi.PluginProvider;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import io.github.deepc.anomaly.core.spi.ProviderFailure;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code anomaly plugins}: lists every stage, model, scorer and image decoder with its parameters. */
@Command(name = "plugins", description = "List preprocessing stages, models, scorers and image decoders with their parameters.")
final class PluginsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        PluginRegistry r = PluginRegistry.defaultRegistry();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> all = new LinkedHashMap<>();
            all.put("stages", describe(r.stages()));
            all.put("models", describe(r.models()));
            all.put("scorers", describe(r.scorers()));
            all.put("decoders", describe(r.decoders()));
            Json.print(out, all);
        } else {
            text(out, "Stages", r.stages());
            text(out, "Models", r.models());
            text(out, "Scorers", r.scorers());
            text(out, "Decoders", r.decoders());
        }
        for (ProviderFailure f : r.failures()) {
            spec.commandLine().getErr().println("warning: " + f.kind().word() + " provider failed to load: " + f.description());
        }
        return 0;
    }

    private static List<Map<String, Object>> describe(PluginCatalog<? extends PluginProvider<?>> catalog) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (PluginProvider<?> p : catalog.providers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("description", p.description());
            List<Map<String, Object>> params = new ArrayList<>();
            for (ParameterSpec s : p.parameters()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("name", s.name());
                pm.put("type", s.type().name().toLowerCase(java.util.Locale.ROOT));
                pm.put("default", s.defaultValue());
                pm.put("description", s.description());
                pm.put("expected", s.expected());
                if (!s.choices().isEmpty()) {
                    pm.put("choices", s.choices());
                }
                params.add(pm);
            }
            m.put("parameters", params);
            list.add(m);
        }
        return list;
    }

    private static void text(PrintWriter out, String title, PluginCatalog<? extends PluginProvider<?>> catalog) {
        out.println(title + ":");
        for (PluginProvider<?> p : catalog.providers()) {
            out.printf("  %-18s %s%n", p.id(), p.description());
            for (ParameterSpec s : p.parameters()) {
                out.printf("      %-16s %s (default %s; %s)%n", s.name(), s.description(),
                        s.defaultValue() == null ? "required" : s.defaultValue(), s.expected());
            }
        }
        out.println();
    }
}
