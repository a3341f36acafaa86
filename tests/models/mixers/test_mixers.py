"""PixelMixer: fixed roles, the alpha distribution, partners, and clear errors."""
import pytest
import torch

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError


def _images(b=6):
    return torch.randn(b, 3, 8, 8)


@pytest.mark.parametrize('alpha', [0.3, 0.7])
def test_roles_follow_the_papers_pseudocode(alpha):
    x = _images()
    mix = MODELS.build(dict(type='PixelMixer', alpha=alpha))(x)
    # I_1 is the batch image: subordinate when alpha < 0.5, dominant (weight alpha) otherwise
    role_of_i1 = 0 if alpha < 0.5 else 1
    assert torch.equal(mix.sources[:, role_of_i1], torch.arange(6))
    assert (mix.sources[:, 0] != mix.sources[:, 1]).all()
    assert torch.equal(mix.subordinate, x[mix.sources[:, 0]])
    assert torch.equal(mix.dominant, x[mix.sources[:, 1]])
    assert mix.weight.item() == pytest.approx(0.3) and float(mix.alpha) == pytest.approx(alpha)
    assert torch.allclose(mix.mixed, 0.3 * mix.subordinate + 0.7 * mix.dominant, atol=1e-6)


def test_permutation_partner_is_a_derangement():
    mixer = MODELS.build(dict(type='PixelMixer'))
    for _ in range(20):
        images = _images(7)
        first, second, pairs = mixer.pair(images)
        assert first is images and torch.equal(second, images[pairs[:, 1]])  # one process
        assert (pairs[:, 0] != pairs[:, 1]).all()  # nobody mixed with itself
        assert sorted(pairs[:, 1].tolist()) == list(range(7))  # every image is a partner once


def test_halves_partner_pairs_i_with_i_plus_half():
    x = _images(8)
    mix = MODELS.build(dict(type='PixelMixer', alpha=0.2, partner='halves'))(x)
    assert mix.mixed.shape == (4, 3, 8, 8)
    assert mix.sources.tolist() == [[0, 4], [1, 5], [2, 6], [3, 7]]
    with pytest.raises(ConfigError, match=r'train_dataloader.batch_size .*=7 is invalid: '
                       r'expected an even count'):
        MODELS.build(dict(type='PixelMixer', partner='halves'))(_images(7))


@pytest.mark.parametrize('beta', [1.0, 0.5, 4.0])
def test_alpha_follows_beta_and_the_subordinate_weight_is_at_most_half(beta):
    mixer = MODELS.build(dict(type='PixelMixer', beta=beta))
    draws = torch.stack([mixer(_images(2)).alpha for _ in range(3000)])
    mean, var = draws.mean().item(), draws.var().item()
    assert mean == pytest.approx(0.5, abs=0.03)
    assert var == pytest.approx(1 / (4 * (2 * beta + 1)), rel=0.12)  # Beta(b, b) variance
    weights = torch.minimum(draws, 1 - draws)
    assert weights.max() <= 0.5


def test_alpha_is_reproducible_under_a_seed():
    mixer = MODELS.build(dict(type='PixelMixer'))
    torch.manual_seed(3)
    a = [mixer(_images()).mixed for _ in range(2)]
    torch.manual_seed(3)
    b = [mixer(_images()).mixed for _ in range(2)]
    assert all(torch.equal(u, v) for u, v in zip(a, b))


@pytest.mark.parametrize('cfg,message', [
    (dict(beta=0), r'model.mixer.beta=0 is invalid: expected a float > 0'),
    (dict(alpha=1.0), r'model.mixer.alpha=1.0 is invalid: expected None .* \(0, 1\)'),
    (dict(partner='shuffle'), r"model.mixer.partner='shuffle' is invalid: expected one of"),
])
def test_bad_arguments(cfg, message):
    with pytest.raises(ConfigError, match=message):
        MODELS.build(dict(type='PixelMixer', **cfg))


def _patches(images, p):
    """(B, L, p·p·C) patches in raster order."""
    b, c, h, w = images.shape
    x = images.reshape(b, c, h // p, p, w // p, p).permute(0, 2, 4, 3, 5, 1)
    return x.reshape(b, (h // p) * (w // p), -1)


@pytest.mark.parametrize('mode,ratio,batch', [
    ('compose', 0.25, 8), ('full', 0.25, 8), ('compose', 0.5, 6), ('full', 0.125, 8)])
def test_patch_mixer_counts_batches_and_unmix_restores_own_patches(mode, ratio, batch):
    x = torch.randn(batch, 3, 16, 16)
    mixer = MODELS.build(dict(type='PatchMixer', mix_ratio=ratio, mode=mode))
    mix = mixer(x, (4, 4))
    g = round(1 / ratio)
    assert mix.num_slots == g
    assert mix.mixed.shape[0] == (batch // g if mode == 'compose' else batch)
    for slot in range(g):  # exactly rL patches of every image in every mixed sample
        assert ((mix.slots == slot).sum(1) == 16 // g).all()
    unmix = mix.unmix_masks()
    targets = mix.targets(x)
    assert unmix.mask.shape == (g * mix.mixed.shape[0], 16)
    mixed_patches = _patches(mix.mixed, 4).repeat(g, 1, 1)
    own = unmix.gather_visible(mixed_patches)
    assert torch.equal(own, unmix.gather_visible(_patches(targets, 4)))  # unmix(mix) = own
    assert (unmix.mask.sum(1) == 16 - 16 // g).all()
    # every image of the batch is a source; group i holds images i, i + B/g, i + 2B/g, ...
    assert torch.equal(mix.sources.unique(), torch.arange(batch))
    assert ((mix.sources % (batch // g)) == (mix.sources[:, :1] % (batch // g))).all()
    assert torch.equal(mix.sources[:, 1:] - mix.sources[:, :-1],
                       torch.full_like(mix.sources[:, 1:], batch // g))


def test_full_mode_draws_each_mixing_mask_independently():
    mix = MODELS.build(dict(type='PatchMixer', mix_ratio=0.25, mode='full'))(
        torch.randn(4, 3, 16, 16), (4, 4))
    assert len({tuple(row.tolist()) for row in mix.slots}) == 4


@pytest.mark.parametrize('cfg,message', [
    (dict(mix_ratio=0.3), r'model.mixer.mix_ratio=0.3 is invalid: expected r in \(0, 0.5\] '
     r'with 1/r an integer'),
    (dict(mix_ratio=0.75), r'model.mixer.mix_ratio=0.75 is invalid'),
    (dict(mode='half'), r"model.mixer.mode='half' is invalid: expected one of"),
])
def test_patch_mixer_bad_arguments(cfg, message):
    with pytest.raises(ConfigError, match=message):
        MODELS.build(dict(type='PatchMixer', **cfg))


def test_patch_mixer_bad_batches():
    mixer = MODELS.build(dict(type='PatchMixer', mix_ratio=0.25))
    with pytest.raises(ConfigError, match=r'train_dataloader.batch_size \(per GPU\)=6 is invalid: '
                       r'expected a multiple of 1/model.mixer.mix_ratio = 4'):
        mixer(torch.randn(6, 3, 16, 16), (4, 4))
    with pytest.raises(ConfigError, match='1/r = 4 divides the 9 patches'):
        mixer(torch.randn(4, 3, 12, 12), (3, 3))
