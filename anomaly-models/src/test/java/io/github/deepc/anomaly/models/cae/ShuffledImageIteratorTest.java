package io.github.deepc.anomaly.models.cae;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.deepc.anomaly.core.image.GrayImage;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

class ShuffledImageIteratorTest {
    /** Image k has every pixel equal to k and pixel 0 invalid. */
    private static List<GrayImage> numbered(int n) {
        List<GrayImage> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            float[] p = new float[16];
            boolean[] m = new boolean[16];
            java.util.Arrays.fill(p, k);
            java.util.Arrays.fill(m, true);
            m[0] = false;
            out.add(GrayImage.wrap(4, 4, p, m));
        }
        return out;
    }

    private static List<Integer> epoch(ShuffledImageIterator it, List<Integer> batchSizes) {
        List<Integer> order = new ArrayList<>();
        while (it.hasNext()) {
            MultiDataSet ds = it.next();
            INDArray f = ds.getFeatures(0);
            INDArray mask = ds.getLabels(0);
            assertEquals(4, f.rank());
            assertEquals(1, f.size(1));
            batchSizes.add((int) f.size(0));
            for (int b = 0; b < f.size(0); b++) {
                order.add((int) f.getFloat(b, 0, 2, 3));
                assertEquals(0f, mask.getFloat(b, 0, 0, 0), 0f);
                assertEquals(1f, mask.getFloat(b, 0, 1, 1), 0f);
            }
        }
        return order;
    }

    @Test
    void seededShufflePerEpochCoversEveryImageOnce() {
        List<GrayImage> imgs = numbered(10);
        ShuffledImageIterator a = new ShuffledImageIterator(imgs, 4, 4, 4, new SplittableRandom(5));
        ShuffledImageIterator b = new ShuffledImageIterator(imgs, 4, 4, 4, new SplittableRandom(5));
        List<Integer> sizes = new ArrayList<>();
        List<Integer> a1 = epoch(a, sizes);
        assertEquals(List.of(4, 4, 2), sizes, "last batch is smaller");
        assertEquals(10, new TreeSet<>(a1).size());
        assertFalse(a.hasNext());
        assertThrows(NoSuchElementException.class, a::next);
        a.reset();
        List<Integer> a2 = epoch(a, new ArrayList<>());
        assertEquals(10, new TreeSet<>(a2).size());
        assertNotEquals(a1, a2, "each epoch is reshuffled");

        assertEquals(a1, epoch(b, new ArrayList<>()), "same seed, same order");
        b.reset();
        assertEquals(a2, epoch(b, new ArrayList<>()));
        ShuffledImageIterator c = new ShuffledImageIterator(imgs, 4, 4, 4, new SplittableRandom(6));
        assertNotEquals(a1, epoch(c, new ArrayList<>()));
    }
}
