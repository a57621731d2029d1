package io.github.deepc.anomaly.core.phantom;

import java.util.List;
import java.util.Locale;

/** What kind of anomaly a {@link Phantom} carries. */
public enum AnomalyKind {
    /** A normal hand: no anomaly, empty ground-truth mask. */
    NONE,
    /** A thin dark fracture gap crossing one bone, the distal fragment slightly displaced. */
    FRACTURE,
    /** A very bright metal implant over one bone: a plate with screws, or loose screws. */
    IMPLANT,
    /** A round lesion inside one bone: lytic (darker) or sclerotic (brighter). */
    LESION;

    private static final List<AnomalyKind> ANOMALIES = List.of(FRACTURE, IMPLANT, LESION);

    /** @return whether this kind is an anomaly, that is, anything but {@link #NONE} */
    public boolean isAnomaly() {
        return this != NONE;
    }

    /** @return the anomaly kinds, every kind except {@link #NONE}, in declaration order */
    public static List<AnomalyKind> anomalies() {
        return ANOMALIES;
    }

    /** @return the lower-case name used in file names, for example {@code fracture} */
    public String fileTag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
