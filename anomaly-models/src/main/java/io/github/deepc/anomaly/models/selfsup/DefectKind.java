package io.github.deepc.anomaly.models.selfsup;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The kinds of synthetic local defect a {@link DefectGenerator} makes. */
public enum DefectKind {
    /** A patch of the same image pasted elsewhere, possibly rotated by a multiple of 90 degrees or mirrored. */
    CUT_PASTE("cut-paste"),
    /** A patch of another normal image alpha-blended in (foreign-patch interpolation). */
    FOREIGN_PATCH("foreign-patch"),
    /** A brightness and contrast change of the region. */
    INTENSITY("intensity"),
    /** A Gaussian blur of the region. */
    BLUR("blur"),
    /** Gaussian noise added to the region. */
    NOISE("noise");

    private final String word;

    DefectKind(String word) {
        this.word = word;
    }

    /** @return the lowercase-hyphenated name used in parameters */
    public String word() {
        return word;
    }

    /**
     * @param text comma-separated kind names, e.g. {@code "cut-paste, blur"}, or {@code all}
     * @return the kinds, at least one
     * @throws IllegalArgumentException naming the unknown kind and the known ones, or for an empty list
     */
    public static Set<DefectKind> parseList(String text) {
        Set<DefectKind> kinds = EnumSet.noneOf(DefectKind.class);
        for (String part : text.split(",")) {
            String t = part.trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            if (t.equals("all")) {
                kinds.addAll(EnumSet.allOf(DefectKind.class));
                continue;
            }
            DefectKind found = null;
            for (DefectKind k : values()) {
                if (k.word.equals(t)) {
                    found = k;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown defect kind '" + part.trim() + "' in defect-kinds, expected "
                        + "a comma-separated list of " + words() + " or all");
            }
            kinds.add(found);
        }
        if (kinds.isEmpty()) {
            throw new IllegalArgumentException("defect-kinds names no kind, expected a comma-separated list of " + words());
        }
        return kinds;
    }

    /** @return the known names, comma-separated */
    public static String words() {
        List<String> w = new ArrayList<>();
        for (DefectKind k : values()) {
            w.add(k.word);
        }
        return String.join(", ", w);
    }
}
