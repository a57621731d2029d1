package io.github.deepc.anomaly.dicom;

import com.twelvemonkeys.imageio.plugins.jpeg.JPEGImageReaderSpi;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageReader;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.spi.ServiceRegistry;

/**
 * Creates TwelveMonkeys JPEG readers (they add lossless JPEG to the JDK's reader, which they wrap). The reader
 * needs the JDK's JPEG provider as its delegate, which it finds when it is registered: use the instance ImageIO
 * registered from the class path, else register one in a private registry (ImageIO's global one is left alone).
 */
final class JpegReaders {
    private static volatile ImageReaderSpi spi;

    private JpegReaders() {
    }

    static ImageReader create() throws IOException {
        ImageReaderSpi s = spi;
        if (s == null) {
            s = find();
            spi = s;
        }
        return s.createReaderInstance();
    }

    private static ImageReaderSpi find() throws IOException {
        ImageReaderSpi jdk = null;
        for (Iterator<ImageReaderSpi> it = IIORegistry.getDefaultInstance().getServiceProviders(ImageReaderSpi.class,
                false); it.hasNext();) {
            ImageReaderSpi s = it.next();
            if (s instanceof JPEGImageReaderSpi) {
                return s;
            }
            if (s.getClass().getName().equals("com.sun.imageio.plugins.jpeg.JPEGImageReaderSpi")) {
                jdk = s;
            }
        }
        if (jdk == null) {
            throw new IOException("the JDK's JPEG reader is not available: cannot decode JPEG pixel data");
        }
        ServiceRegistry own = new ServiceRegistry(List.<Class<?>>of(ImageReaderSpi.class).iterator());
        own.registerServiceProvider(jdk, ImageReaderSpi.class);
        JPEGImageReaderSpi tm = new JPEGImageReaderSpi();
        own.registerServiceProvider(tm, ImageReaderSpi.class);
        return tm;
    }
}
