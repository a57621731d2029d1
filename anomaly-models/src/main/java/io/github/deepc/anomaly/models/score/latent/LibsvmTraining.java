package io.github.deepc.anomaly.models.score.latent;

import java.lang.reflect.Field;
import libsvm.svm;
import libsvm.svm_model;
import libsvm.svm_parameter;
import libsvm.svm_print_interface;
import libsvm.svm_problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code svm_train} with libsvm's progress lines sent to the debug log instead of {@code System.out}, without
 * leaving the library's mark on the JVM. libsvm's print hook is one static field for the whole JVM, set with
 * {@code svm_set_print_string_function} and not readable through its API; so the hook that was there is read by
 * reflection (libsvm is not a named module), ours is set for the duration of one training call under a lock, and the
 * previous one is put back. Only where reflection is refused is our hook left in place (logged once).
 */
final class LibsvmTraining {
    private static final Logger LOG = LoggerFactory.getLogger(LibsvmTraining.class);
    private static final svm_print_interface TO_LOG = s -> LOG.debug("libsvm: {}", s.strip());
    private static final Field HOOK = hookField();

    private LibsvmTraining() {
    }

    /**
     * @param problem training data
     * @param param   checked parameters
     * @return the trained model
     */
    static svm_model train(svm_problem problem, svm_parameter param) {
        synchronized (svm.class) {
            svm_print_interface previous = currentHook();
            svm.svm_set_print_string_function(TO_LOG);
            try {
                return svm.svm_train(problem, param);
            } finally {
                if (HOOK != null) {
                    restore(previous);
                }
            }
        }
    }

    /** @return libsvm's current print hook, or null when it cannot be read */
    static svm_print_interface currentHook() {
        try {
            return HOOK == null ? null : (svm_print_interface) HOOK.get(null);
        } catch (IllegalAccessException e) {
            return null;
        }
    }

    private static void restore(svm_print_interface previous) {
        try {
            HOOK.set(null, previous);
        } catch (IllegalAccessException e) {
            LOG.debug("could not restore libsvm's print hook: {}", e.toString());
        }
    }

    private static Field hookField() {
        try {
            Field f = svm.class.getDeclaredField("svm_print_string");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debug("libsvm's print hook is not reachable ({}): its output stays in the debug log for good",
                    e.toString());
            return null;
        }
    }
}
