package io.github.deepc.anomaly.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.deepc.anomaly.core.image.GrayImage;
import io.github.deepc.anomaly.core.image.ImageDecoder;
import io.github.deepc.anomaly.core.imageio.ImageIoDecoderProvider;
import io.github.deepc.anomaly.core.spi.DecoderProvider;
import io.github.deepc.anomaly.core.spi.Parameters;
import io.github.deepc.anomaly.core.plugin.PluginRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The decoder contract over the core's registry, and a decoder with unhelpful errors caught. */
class DecoderContractTest {
    @TestFactory
    Stream<DynamicNode> theCoreDecodersKeepTheContract() {
        return DecoderContract.forAll(PluginRegistry.load(getClass().getClassLoader()).decoders(), b -> b);
    }

    @Test
    void aDecoderWhoseErrorsDoNotNameTheFileIsCaught() {
        DecoderProvider vague = new DecoderProvider() {
            private final ImageIoDecoderProvider real = new ImageIoDecoderProvider();

            @Override
            public String id() {
                return "vague";
            }

            @Override
            public String description() {
                return "vague";
            }

            @Override
            public int priority() {
                return 0;
            }

            @Override
            public boolean canDecode(Path file) {
                return true;
            }

            @Override
            public ImageDecoder create(Parameters params) {
                ImageDecoder d = real.create(params);
                return new ImageDecoder() {
                    @Override
                    public GrayImage decode(Path file) throws IOException {
                        try {
                            return d.decode(file);
                        } catch (IOException e) {
                            throw new IOException("cannot decode");
                        }
                    }

                    @Override
                    public String name() {
                        return "vague";
                    }
                };
            }
        };
        List<String> failed = Outcomes.failed(Outcomes.run(DecoderContract.of(vague).tests()));
        assertEquals(List.of("vague refuses missing, empty and garbage files naming them"), failed);
        assertTrue(Outcomes.failed(Outcomes.run(DecoderContract.of(new ImageIoDecoderProvider()).tests())).isEmpty());
    }
}
