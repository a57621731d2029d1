package io.github.deepc.anomaly.spark;

import io.github.deepc.anomaly.core.plugin.PluginSpec;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** Pipeline stage specs in a serializable form, to ship to the executors ({@link PluginSpec} is not serializable). */
final class StageSpecs implements Serializable {
    private static final long serialVersionUID = 1L;
    private final ArrayList<String> ids = new ArrayList<>();
    private final ArrayList<LinkedHashMap<String, String>> params = new ArrayList<>();

    StageSpecs(List<PluginSpec> specs) {
        for (PluginSpec s : specs) {
            ids.add(s.id());
            params.add(new LinkedHashMap<>(s.params()));
        }
    }

    /** @return the specs again */
    List<PluginSpec> specs() {
        List<PluginSpec> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            out.add(new PluginSpec(ids.get(i), params.get(i)));
        }
        return out;
    }
}
