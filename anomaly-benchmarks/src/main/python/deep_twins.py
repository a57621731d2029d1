#!/usr/bin/env python3
"""PyTorch twins of the library's deep models, for side-by-side speed and memory benchmarks (DeepModelBenchmark).

Each twin has the library model's DEFAULT architecture and training (anomaly-models; 64x64 images, float32):

  deep-svdd  BiasFreeEncoder: 3x3 stride-2 convolutions 1->16->32->64 (padding 1, no bias), leaky ReLU 0.01, a
             bias-free linear projection to rep-dim 32; input image * mask; centre = mean initial feature with
             coordinates within 0.1 of 0 pushed to +-0.1; loss mean_batch ||phi(x) - c||^2; Adam lr 1e-4 with L2 weight
             decay 1e-6 added to the gradients; batch 32.
  dcgan      Networks/Layers with channels c = 16, latent 100: G = dense 100 -> 8c*4*4, ReLU, pixel norm, transposed
             4x4 stride-2 convolutions to 4c, 2c, c (ReLU, pixel norm each) and to 1, sigmoid; D = 4x4 stride-2
             convolutions to c, 2c, 4c, 8c (LeakyReLU 0.2), dense to one logit. N(0, 0.02) weights, zero biases.
             Logistic losses, real target 0.9 (one-sided label smoothing), non-saturating G loss; one D step (real and
             G(z) stacked in one batch) then one G step (D fixed) per batch; Adam lr 2e-4, betas (0.5, 0.999).
  bigan      G as above, encoder E = D's trunk + dense to the latent (linear); joint D = trunk features
             concatenated with the code, dense to 8c (LeakyReLU), dense to a logit; D tells (x, E(x)) (target 0.9)
             from (G(z), z) (target 0); G and E together with the labels swapped.
  alpha-gan  G, E, image D as above with SAGAN self-attention after the 2c block (at 16x16; 1x1 projections f, g to
             max(1, C/8) and h to C channels, gamma starting at 0), spectral normalisation (one power iteration per D
             step, u and v fixed in the gradient) of every weight of D and of the code discriminator C (dense 8c,
             8c, LeakyReLU, logit); D on x, G(E(x)), G(z) (targets 0.9, 0, 0), C on z, E(x) (0.9, 0), updated
             together; G and E together on 10 * masked L1(x, G(E(x))) + l(D(G(E(x))), 1) + l(D(G(z)), 1)
             + l(C(E(x)), 1).

The GANs also generate 16 samples from fixed latent vectors at the end of every epoch, as the library does for its
diversity figure. Scoring computes what the library's inference computes, in batches of 64: deep-svdd the features
and squared distances, dcgan D(x), bigan E(x), G(E(x)) and D(x, E(x)), alpha-gan E(x), G(E(x)), D(x) and C(E(x)).

Input: float32 .npy files of images and masks, [N, 1, H, W], written by DeepModelBenchmark (the library's
preprocessing). Prints one line per epoch and a final JSON line with the parameter count, images/s for training (all
epochs, and after the first) and scoring (the first round, the best and the median), and the process's VmRSS (KiB) at
start, after every epoch and after every scoring round.

Usage: deep_twins.py --model dcgan --images x.npy --masks m.npy [--score-images s.npy] [--train-limit N]
       [--epochs 3] [--threads 2] [--seed 1] [--score-rounds 3]
"""
import argparse, json, os, time

# torch parallelises itself; a multi-threaded BLAS underneath it only contends for the same cores
os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')
import numpy as np
import torch, torch.nn as nn, torch.nn.functional as F

LATENT, CHANNELS, BATCH, LR, SMOOTH, RECON_WEIGHT, SAMPLES, INFER_BATCH = 100, 16, 32, 2e-4, 0.9, 10.0, 16, 64


def rss_kib():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return -1


# ---------------------------------------------------------------- Deep SVDD

class BiasFreeEncoder(nn.Module):
    def __init__(self, height, width, rep_dim=32):
        super().__init__()
        ch = [1, 16, 32, 64]
        self.convs = nn.ModuleList(nn.Conv2d(ch[i], ch[i + 1], 3, stride=2, padding=1, bias=False) for i in range(3))
        self.proj = nn.Linear(64 * (height // 8) * (width // 8), rep_dim, bias=False)
        for m in list(self.convs) + [self.proj]:  # He-uniform, U(-sqrt(6/fan_in), sqrt(6/fan_in)), as the library
            fan_in = m.weight[0].numel()
            nn.init.uniform_(m.weight, -(6.0 / fan_in) ** 0.5, (6.0 / fan_in) ** 0.5)

    def forward(self, x):
        for c in self.convs:
            x = F.leaky_relu(c(x), 0.01)
        return self.proj(x.flatten(1))


class DeepSvdd:
    def __init__(self, height, width, rng):
        self.net = BiasFreeEncoder(height, width)
        self.opt = torch.optim.Adam(self.net.parameters(), lr=1e-4, weight_decay=1e-6)
        self.centre = None

    def parameters(self):
        return list(self.net.parameters())

    def before_training(self, x, m):
        with torch.no_grad():
            f = torch.cat([self.net(x[i:i + INFER_BATCH] * m[i:i + INFER_BATCH]) for i in range(0, len(x), INFER_BATCH)])
        c = f.mean(0)
        small = c.abs() < 0.1
        c[small] = torch.where(c[small] < 0, -0.1, 0.1)
        self.centre = c

    def step(self, xb, mb, zb):
        self.opt.zero_grad(set_to_none=True)
        loss = ((self.net(xb * mb) - self.centre) ** 2).sum(1).mean()
        loss.backward()
        self.opt.step()
        return loss.item()

    def end_of_epoch(self):
        pass

    def score(self, xb, mb):
        f = self.net(xb * mb)
        return ((f.double() - self.centre.double()) ** 2).sum(1)

    def uses_noise(self):
        return False


# ---------------------------------------------------------------- GAN building blocks

class SpectralNorm:
    """W / sigma with sigma = u^T W v from persistent unit vectors advanced by one power iteration per D step (as the
    library's SpectralNorm: iterate() before the discriminator update, u and v constant in the gradient)."""

    def __init__(self, module, gen):
        self.module = module
        w = module.weight.detach().reshape(module.weight.shape[0], -1)
        self.u = F.normalize(torch.randn(w.shape[0], generator=gen), dim=0, eps=1e-12)
        self.v = F.normalize(torch.randn(w.shape[1], generator=gen), dim=0, eps=1e-12)

    @torch.no_grad()
    def iterate(self):
        w = self.module.weight.reshape(self.module.weight.shape[0], -1)
        self.v = F.normalize(w.t() @ self.u, dim=0, eps=1e-12)
        self.u = F.normalize(w @ self.v, dim=0, eps=1e-12)

    def weight(self):
        w = self.module.weight
        sigma = self.u @ (w.reshape(w.shape[0], -1) @ self.v)
        return w * (1.0 / sigma)


class Conv(nn.Module):
    """4x4 stride-2 convolution with bias (halves the map), optionally spectrally normalised."""

    def __init__(self, cin, cout, norms):
        super().__init__()
        self.layer = nn.Conv2d(cin, cout, 4, stride=2, padding=1)
        self.sn = None if norms is None else SpectralNorm(self.layer, norms[1])
        if norms is not None:
            norms[0].append(self.sn)

    def forward(self, x):
        w = self.layer.weight if self.sn is None else self.sn.weight()
        return F.conv2d(x, w, self.layer.bias, stride=2, padding=1)


class Dense(nn.Module):
    def __init__(self, cin, cout, norms):
        super().__init__()
        self.layer = nn.Linear(cin, cout)
        self.sn = None if norms is None else SpectralNorm(self.layer, norms[1])
        if norms is not None:
            norms[0].append(self.sn)

    def forward(self, x):
        w = self.layer.weight if self.sn is None else self.sn.weight()
        return F.linear(x, w, self.layer.bias)


class SelfAttention(nn.Module):
    """SAGAN self-attention as the library's: dense f, g (C -> max(1, C/8)) and h (C -> C) on the channel vectors,
    s_ij = f_i . g_j, softmax over i, o_j = sum_i beta_ji h_i, output x + gamma o, gamma starting at 0."""

    def __init__(self, c, norms):
        super().__init__()
        ck = max(1, c // 8)
        self.f, self.g, self.h = Dense(c, ck, norms), Dense(c, ck, norms), Dense(c, c, norms)
        self.gamma = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        b, c, hh, ww = x.shape
        rows = x.reshape(b, c, hh * ww).transpose(1, 2)        # [b, N, C]
        f, g, h = self.f(rows), self.g(rows), self.h(rows)
        beta = torch.softmax(g @ f.transpose(1, 2), dim=2)      # [b, N_j, N_i]
        o = (beta @ h).transpose(1, 2).reshape(b, c, hh, ww)
        return x + self.gamma * o


def pixel_norm(x):
    return x * torch.rsqrt((x * x).mean(1, keepdim=True) + 1e-8)


class Generator(nn.Module):
    def __init__(self, attention, c=CHANNELS, latent=LATENT):
        super().__init__()
        self.c = c
        self.fc = nn.Linear(latent, 8 * c * 4 * 4)
        self.up1 = nn.ConvTranspose2d(8 * c, 4 * c, 4, 2, 1)
        self.up2 = nn.ConvTranspose2d(4 * c, 2 * c, 4, 2, 1)
        self.att = SelfAttention(2 * c, None) if attention else None
        self.up3 = nn.ConvTranspose2d(2 * c, c, 4, 2, 1)
        self.up4 = nn.ConvTranspose2d(c, 1, 4, 2, 1)

    def forward(self, z):
        x = pixel_norm(F.relu(self.fc(z).reshape(-1, 8 * self.c, 4, 4)))
        x = pixel_norm(F.relu(self.up1(x)))
        x = pixel_norm(F.relu(self.up2(x)))
        if self.att is not None:
            x = self.att(x)
        x = pixel_norm(F.relu(self.up3(x)))
        return torch.sigmoid(self.up4(x))


class Trunk(nn.Module):
    """Convolutions to c, 2c, 4c, 8c with LeakyReLU 0.2, attention after the 2c block when enabled, flattened."""

    def __init__(self, attention, norms, c=CHANNELS):
        super().__init__()
        self.convs = nn.ModuleList([Conv(1, c, norms), Conv(c, 2 * c, norms), Conv(2 * c, 4 * c, norms),
                                    Conv(4 * c, 8 * c, norms)])
        self.att = SelfAttention(2 * c, norms) if attention else None

    def forward(self, x):
        for i, conv in enumerate(self.convs):
            x = F.leaky_relu(conv(x), 0.2)
            if i == 1 and self.att is not None:
                x = self.att(x)
        return x.flatten(1)


def flat_features(height, width, c=CHANNELS):
    return 8 * c * (height // 16) * (width // 16)


class ImageDiscriminator(nn.Module):
    def __init__(self, height, width, attention, norms):
        super().__init__()
        self.trunk = Trunk(attention, norms)
        self.out = Dense(flat_features(height, width), 1, norms)

    def forward(self, x):
        return self.out(self.trunk(x))


class Encoder(nn.Module):
    def __init__(self, height, width, attention):
        super().__init__()
        self.trunk = Trunk(attention, None)
        self.out = nn.Linear(flat_features(height, width), LATENT)

    def forward(self, x):
        return self.out(self.trunk(x))


class JointDiscriminator(nn.Module):
    def __init__(self, height, width):
        super().__init__()
        self.trunk = Trunk(False, None)
        self.joint = nn.Linear(flat_features(height, width) + LATENT, 8 * CHANNELS)
        self.out = nn.Linear(8 * CHANNELS, 1)

    def forward(self, x, z):
        return self.out(F.leaky_relu(self.joint(torch.cat([self.trunk(x), z], 1)), 0.2))


class CodeDiscriminator(nn.Module):
    def __init__(self, norms):
        super().__init__()
        self.fc1, self.fc2, self.out = Dense(LATENT, 8 * CHANNELS, norms), Dense(8 * CHANNELS, 8 * CHANNELS, norms), \
            Dense(8 * CHANNELS, 1, norms)

    def forward(self, z):
        return self.out(F.leaky_relu(self.fc2(F.leaky_relu(self.fc1(z), 0.2)), 0.2))


def group_losses(logits, *targets):
    """Mean logistic loss of each equal group stacked along the batch against its target, summed."""
    groups = logits.reshape(len(targets), -1)
    t = torch.tensor(targets, dtype=logits.dtype).reshape(-1, 1).expand_as(groups)
    return F.binary_cross_entropy_with_logits(groups, t, reduction='none').mean(1).sum()


def init_dcgan(modules):
    """N(0, 0.02) weights, zero biases (gamma stays 0), as Layers does."""
    for mod in modules:
        for name, p in mod.named_parameters():
            if name.endswith('gamma'):
                continue
            if name.endswith('bias'):
                nn.init.zeros_(p)
            else:
                nn.init.normal_(p, 0.0, 0.02)


class Gan:
    """The two players, D first, then G (and E): one D step with G fixed, then one G step with D fixed."""

    def __init__(self, d_modules, g_modules, norms):
        init_dcgan(d_modules + g_modules)
        self.d_params = [p for m in d_modules for p in m.parameters()]
        self.g_params = [p for m in g_modules for p in m.parameters()]
        self.d_opt = torch.optim.Adam(self.d_params, lr=LR, betas=(0.5, 0.999), eps=1e-8)
        self.g_opt = torch.optim.Adam(self.g_params, lr=LR, betas=(0.5, 0.999), eps=1e-8)
        self.norms = norms
        self.fixed_z = None

    def parameters(self):
        return self.d_params + self.g_params

    def before_training(self, x, m):
        self.fixed_z = torch.randn(SAMPLES, LATENT)

    def uses_noise(self):
        return True

    def _train(self, params, train):
        for p in params:
            p.requires_grad_(train)

    def step(self, xb, mb, zb):
        # discriminator update, generator fixed (its forward pass without gradients)
        self._train(self.d_params, True)
        with torch.no_grad():
            fake = self.d_inputs(xb, zb)
        for sn in self.norms:
            sn.iterate()
        self.d_opt.zero_grad(set_to_none=True)
        d_loss = self.d_loss(*fake)
        d_loss.backward()
        self.d_opt.step()
        # generator (and encoder) update, discriminator fixed: no gradients for its weights
        self._train(self.d_params, False)
        self.g_opt.zero_grad(set_to_none=True)
        g_loss = self.g_loss(xb, mb, zb)
        g_loss.backward()
        self.g_opt.step()
        self._train(self.d_params, True)
        d_loss.item()  # the library reads both players' losses every step
        return g_loss.item()

    @torch.no_grad()
    def end_of_epoch(self):
        self.g(self.fixed_z)  # the library's diversity samples


class Dcgan(Gan):
    def __init__(self, height, width, rng):
        self.g = Generator(False)
        self.d = ImageDiscriminator(height, width, False, None)
        super().__init__([self.d], [self.g], [])

    def d_inputs(self, xb, zb):
        return (torch.cat([xb, self.g(zb)]),)

    def d_loss(self, images):
        return group_losses(self.d(images), SMOOTH, 0.0)

    def g_loss(self, xb, mb, zb):
        return group_losses(self.d(self.g(zb)), 1.0)

    def score(self, xb, mb):
        return torch.sigmoid(self.d(xb)).flatten()


class Bigan(Gan):
    def __init__(self, height, width, rng):
        self.g = Generator(False)
        self.e = Encoder(height, width, False)
        self.d = JointDiscriminator(height, width)
        super().__init__([self.d], [self.g, self.e], [])

    def d_inputs(self, xb, zb):
        return torch.cat([xb, self.g(zb)]), torch.cat([self.e(xb), zb])

    def d_loss(self, images, codes):
        return group_losses(self.d(images, codes), SMOOTH, 0.0)

    def g_loss(self, xb, mb, zb):
        return group_losses(self.d(torch.cat([self.g(zb), xb]), torch.cat([zb, self.e(xb)])), 1.0, 0.0)

    def score(self, xb, mb):
        code = self.e(xb)
        self.g(code)  # the reconstruction G(E(x)), an output of the library's inference
        return torch.sigmoid(self.d(xb, code)).flatten()


def masked_l1(rec, x, m):
    per_image = ((rec - x).abs() * m).sum((1, 2, 3))
    return (per_image / m.sum((1, 2, 3)).clamp(min=1.0)).mean()


class AlphaGan(Gan):
    def __init__(self, height, width, rng):
        norms = ([], rng)
        self.g = Generator(True)
        self.e = Encoder(height, width, True)
        self.d = ImageDiscriminator(height, width, True, norms)
        self.c = CodeDiscriminator(norms)
        super().__init__([self.d, self.c], [self.e, self.g], norms[0])

    def d_inputs(self, xb, zb):
        code = self.e(xb)
        return torch.cat([xb, self.g(torch.cat([code, zb]))]), torch.cat([zb, code])

    def d_loss(self, images, codes):
        return group_losses(self.d(images), SMOOTH, 0.0, 0.0) + group_losses(self.c(codes), SMOOTH, 0.0)

    def g_loss(self, xb, mb, zb):
        code = self.e(xb)
        decoded = self.g(torch.cat([code, zb]))
        l1 = masked_l1(decoded[:len(xb)], xb, mb)
        adversarial = group_losses(self.d(decoded), 1.0, 1.0) + group_losses(self.c(code), 1.0)
        return RECON_WEIGHT * l1 + adversarial

    def score(self, xb, mb):
        code = self.e(xb)
        self.g(code)
        torch.sigmoid(self.c(code))
        return torch.sigmoid(self.d(xb)).flatten()


MODELS = {'deep-svdd': DeepSvdd, 'dcgan': Dcgan, 'bigan': Bigan, 'alpha-gan': AlphaGan}


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--model', required=True, choices=sorted(MODELS))
    p.add_argument('--images', required=True)
    p.add_argument('--masks', required=True)
    p.add_argument('--score-images', help='.npy of images to score (default: the training images)')
    p.add_argument('--score-masks')
    p.add_argument('--epochs', type=int, default=3)
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--seed', type=int, default=1)
    p.add_argument('--score-rounds', type=int, default=3)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    x = torch.from_numpy(np.load(a.images))
    m = torch.from_numpy(np.load(a.masks))
    xs = torch.from_numpy(np.load(a.score_images)) if a.score_images else x
    ms = torch.from_numpy(np.load(a.score_masks)) if a.score_masks else m
    if x.dim() != 4 or x.shape[1] != 1 or x.shape != m.shape or x.dtype != torch.float32:
        raise SystemExit(f'{a.images} and {a.masks} must be float32 [N, 1, H, W] of one shape, got '
                         f'{tuple(x.shape)} {x.dtype} and {tuple(m.shape)}')
    h, w = x.shape[2], x.shape[3]
    gen = torch.Generator().manual_seed(a.seed)
    model = MODELS[a.model](h, w, gen)
    params = sum(t.numel() for t in model.parameters())
    rss = {'start': rss_kib(), 'epochs': [], 'score_rounds': []}
    model.before_training(x, m)
    seconds = []
    for e in range(a.epochs):
        order = torch.from_numpy(rng.permutation(len(x)))
        t = time.perf_counter(); total = 0.0
        for i in range(0, len(x), BATCH):
            idx = order[i:i + BATCH]
            zb = torch.randn(len(idx), LATENT) if model.uses_noise() else None
            total += model.step(x[idx], m[idx], zb) * len(idx)
        model.end_of_epoch()
        seconds.append(time.perf_counter() - t)
        rss['epochs'].append(rss_kib())
        print(f'epoch {e + 1} loss {total / len(x):.6f} seconds {seconds[-1]:.2f} rss {rss["epochs"][-1] // 1024} MiB',
              flush=True)
    score_rates = []
    with torch.no_grad():
        model.score(xs[:INFER_BATCH], ms[:INFER_BATCH])  # warm-up, as the Java side
        for r in range(max(1, a.score_rounds)):
            t = time.perf_counter()
            for i in range(0, len(xs), INFER_BATCH):
                model.score(xs[i:i + INFER_BATCH], ms[i:i + INFER_BATCH]).numpy()
            score_rates.append(len(xs) / (time.perf_counter() - t))
            rss['score_rounds'].append(rss_kib())
    later = seconds[1:]
    result = {'model': a.model, 'torch': torch.__version__, 'threads': a.threads, 'parameters': params,
              'train_images': len(x), 'epochs': a.epochs, 'score_images': len(xs),
              'train_images_per_s': len(x) * len(seconds) / sum(seconds),
              'train_images_per_s_after_first': len(x) * len(later) / sum(later) if later else None,
              'score_images_per_s': score_rates[0], 'score_images_per_s_best': max(score_rates),
              'score_images_per_s_median': float(np.median(score_rates)),
              'rss_kib': rss}
    print(json.dumps(result))


if __name__ == '__main__':
    main()
