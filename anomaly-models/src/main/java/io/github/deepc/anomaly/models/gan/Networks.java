package io.github.deepc.anomaly.models.gan;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The networks of the GAN models, each built into a graph through a {@link ParamScope} (so the same network can be
 * trainable in its player's graph and fixed in the other's). With {@code c} = {@link GanArchitecture#channels()} and
 * {@code H x W} images:
 * <ul>
 *   <li>generator {@code G}: dense {@code latent -> 8c x H/16 x W/16}, reshape, then transposed convolutions to
 *       {@code 4c, 2c, c} channels (ReLU, pixel norm) and to one channel, squashed into the pixel range; self-attention
 *       after the {@code 2c} block (at {@code H/4}) when enabled;</li>
 *   <li>convolutional trunk shared in form by discriminator and encoder: convolutions to {@code c, 2c, 4c, 8c}
 *       channels with LeakyReLU(0.2), self-attention after the {@code 2c} block when enabled, flattened;</li>
 *   <li>image discriminator {@code D}: trunk, dense to one logit; encoder {@code E}: trunk, dense to the latent
 *       vector (linear); BiGAN's joint discriminator: trunk features concatenated with the latent vector, dense to
 *       {@code 8c} (LeakyReLU), dense to one logit; alpha-GAN's code discriminator {@code C}: two dense
 *       {@code 8c} LeakyReLU layers and a logit.</li>
 * </ul>
 * Discriminators output logits; probabilities are taken where needed. Parameter names start with the network's
 * letter ({@code g_}, {@code e_}, {@code d_}, {@code c_}).
 */
final class Networks {
    private Networks() {
    }

    /**
     * @param p parameters of the generator
     * @param z latent vectors {@code [b, latent]}
     * @param a architecture
     * @return images {@code [b, 1, H, W]} in the pixel range
     */
    static SDVariable generator(ParamScope p, SDVariable z, GanArchitecture a) {
        SameDiff sd = p.graph();
        long c = a.channels();
        SDVariable x = Layers.dense(p, "g_fc", z, a.latent(), a.flatFeatures(), false);
        x = sd.reshape(x, -1, a.topChannels(), a.bottomHeight(), a.bottomWidth());
        x = Layers.pixelNorm(sd, sd.nn().relu(x, 0.0));
        x = upBlock(p, "g_up1", x, 8 * c, 4 * c);
        x = upBlock(p, "g_up2", x, 4 * c, 2 * c);
        if (a.attention()) {
            x = SelfAttention.apply(p, "g_att", x, 2 * c, a.height() / 4, a.width() / 4, false);
        }
        x = upBlock(p, "g_up3", x, 2 * c, c);
        x = Layers.deconv(p, "g_up4", x, c, 1);
        return a.range().activate(sd, x);
    }

    private static SDVariable upBlock(ParamScope p, String name, SDVariable x, long in, long out) {
        SameDiff sd = p.graph();
        return Layers.pixelNorm(sd, sd.nn().relu(Layers.deconv(p, name, x, in, out), 0.0));
    }

    /**
     * @param p        parameters
     * @param prefix   network letter
     * @param x        images {@code [b, 1, H, W]}
     * @param a        architecture
     * @param spectral whether to normalise the weights spectrally
     * @return flattened features {@code [b, 8c H/16 W/16]}
     */
    static SDVariable trunk(ParamScope p, String prefix, SDVariable x, GanArchitecture a, boolean spectral) {
        SameDiff sd = p.graph();
        long c = a.channels();
        SDVariable h = Layers.leaky(sd, Layers.conv(p, prefix + "_conv1", x, 1, c, spectral));
        h = Layers.leaky(sd, Layers.conv(p, prefix + "_conv2", h, c, 2 * c, spectral));
        if (a.attention()) {
            h = SelfAttention.apply(p, prefix + "_att", h, 2 * c, a.height() / 4, a.width() / 4, spectral);
        }
        h = Layers.leaky(sd, Layers.conv(p, prefix + "_conv3", h, 2 * c, 4 * c, spectral));
        h = Layers.leaky(sd, Layers.conv(p, prefix + "_conv4", h, 4 * c, 8 * c, spectral));
        return Layers.flatten(sd, h, a.flatFeatures());
    }

    /**
     * @param p parameters of the discriminator
     * @param x images
     * @param a architecture (spectral normalisation as configured)
     * @return logits {@code [b, 1]}
     */
    static SDVariable imageDiscriminator(ParamScope p, SDVariable x, GanArchitecture a) {
        SDVariable f = trunk(p, "d", x, a, a.spectralNorm());
        return Layers.dense(p, "d_out", f, a.flatFeatures(), 1, a.spectralNorm());
    }

    /**
     * @param p parameters of the encoder
     * @param x images
     * @param a architecture
     * @return latent vectors {@code [b, latent]}
     */
    static SDVariable encoder(ParamScope p, SDVariable x, GanArchitecture a) {
        SDVariable f = trunk(p, "e", x, a, false);
        return Layers.dense(p, "e_out", f, a.flatFeatures(), a.latent(), false);
    }

    /**
     * BiGAN's discriminator on (image, latent) pairs.
     *
     * @param p parameters of the discriminator
     * @param x images
     * @param z latent vectors paired with them
     * @param a architecture
     * @return logits {@code [b, 1]}
     */
    static SDVariable jointDiscriminator(ParamScope p, SDVariable x, SDVariable z, GanArchitecture a) {
        SameDiff sd = p.graph();
        SDVariable joint = sd.concat(1, trunk(p, "d", x, a, a.spectralNorm()), z);
        long hidden = a.topChannels();
        SDVariable h = Layers.leaky(sd, Layers.dense(p, "d_joint", joint, a.flatFeatures() + a.latent(), hidden,
                a.spectralNorm()));
        return Layers.dense(p, "d_out", h, hidden, 1, a.spectralNorm());
    }

    /**
     * Alpha-GAN's code discriminator.
     *
     * @param p parameters of the code discriminator
     * @param z latent vectors
     * @param a architecture
     * @return logits {@code [b, 1]}
     */
    static SDVariable codeDiscriminator(ParamScope p, SDVariable z, GanArchitecture a) {
        SameDiff sd = p.graph();
        long hidden = a.topChannels();
        boolean sn = a.spectralNorm();
        SDVariable h = Layers.leaky(sd, Layers.dense(p, "c_fc1", z, a.latent(), hidden, sn));
        h = Layers.leaky(sd, Layers.dense(p, "c_fc2", h, hidden, hidden, sn));
        return Layers.dense(p, "c_out", h, hidden, 1, sn);
    }
}
