package io.github.deepc.anomaly.models.gan;

import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.InferenceSession;
import org.nd4j.autodiff.samediff.internal.memory.AbstractMemoryMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.LongShapeDescriptor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A SameDiff session memory manager that frees, at the end of each call, every array the session allocated during
 * the call except those returned to the caller; arrays the session releases earlier are freed at once.
 *
 * <p>Why: in SameDiff 1.0.0-M2.1 a gradient call leaves many intermediates unreleased (about 130 arrays per DCGAN
 * generator step, 420 per alpha-GAN step), which then wait for the Java garbage collector while their native memory
 * piles up (over 1 GiB in a few dozen steps); its default {@code ArrayCacheMemoryMgr} also hoards released arrays up
 * to a quarter of {@code Pointer.maxBytes()} without reusing them. Everything a call allocates is private to that call
 * (variables, constants and placeholders are not allocated here), so closing it once the call has returned is safe;
 * arrays sharing a buffer with a returned one are kept.
 */
final class SessionArena extends AbstractMemoryMgr {
    private final Set<INDArray> live = Collections.newSetFromMap(new IdentityHashMap<>());

    @Override
    public INDArray allocate(boolean detached, DataType dataType, long... shape) {
        INDArray a = Nd4j.createUninitializedDetached(dataType, shape);
        live.add(a);
        return a;
    }

    @Override
    public INDArray allocate(boolean detached, LongShapeDescriptor descriptor) {
        INDArray a = Nd4j.create(descriptor, false);
        live.add(a);
        return a;
    }

    @Override
    public void release(INDArray array) {
        live.remove(array);
        GraphMemory.closeQuietly(array);
    }

    @Override
    public void close() {
        closeAllExcept(Set.of());
    }

    /**
     * Frees every array allocated since the last call, except those whose buffer backs one of {@code keep}.
     *
     * @param keep arrays handed to the caller
     */
    void closeAllExcept(Collection<INDArray> keep) {
        Set<Long> kept = new HashSet<>();
        for (INDArray k : keep) {
            DataBuffer b = k == null || k.wasClosed() ? null : k.data();
            if (b != null) {
                kept.add(b.address());
            }
        }
        for (INDArray a : live) {
            DataBuffer b = a.wasClosed() ? null : a.data();
            if (b != null && !kept.contains(b.address())) {
                GraphMemory.closeQuietly(a);
            }
        }
        live.clear();
    }

    /**
     * Gives the calling thread's inference sessions of a graph and of its gradient function an arena each (SameDiff
     * creates sessions lazily per thread, so call this before each use).
     *
     * @param sd a graph
     * @return the arenas now in use, to be ended with {@link #end(Collection, Map...)} after the call
     */
    static Collection<SessionArena> install(SameDiff sd) {
        Set<SessionArena> arenas = Collections.newSetFromMap(new IdentityHashMap<>());
        arenas.add(installOne(sd));
        SameDiff grad = sd.getFunction("grad");
        if (grad != null) {
            arenas.add(installOne(grad));
        }
        return arenas;
    }

    private static SessionArena installOne(SameDiff sd) {
        Map<Long, InferenceSession> sessions = sd.getSessions();
        long thread = Thread.currentThread().getId();
        InferenceSession s = sessions.get(thread);
        if (s == null) {
            s = new InferenceSession(sd);
            sessions.put(thread, s);
        }
        if (!(s.getMmgr() instanceof SessionArena)) {
            s.setMmgr(new SessionArena());
        }
        return (SessionArena) s.getMmgr();
    }

    /**
     * Ends a call: frees what its arenas allocated, except the results.
     *
     * @param arenas  from {@link #install(SameDiff)}
     * @param results the call's results, kept
     */
    @SafeVarargs
    static void end(Collection<SessionArena> arenas, Map<String, INDArray>... results) {
        Set<INDArray> keep = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map<String, INDArray> r : results) {
            if (r != null) {
                keep.addAll(r.values());
            }
        }
        for (SessionArena a : arenas) {
            a.closeAllExcept(keep);
        }
    }
}
