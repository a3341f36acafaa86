"""MixedAE: unmixed reconstruction, homologous contrast, TopK accuracy, defaults and errors."""
import pytest
import torch

from mimtoolkit.evaluation import topk_sampling_accuracy
from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError
from ...conftest import tiny_mixedae_cfg, with_value


def _build(cfg):
    model = MODELS.build(cfg)
    model.init_weights()
    return model


@pytest.mark.parametrize('mode,decoded', [('compose', 8), ('full', 32)])
def test_one_step_and_the_decoder_batch(mode, decoded):
    model = _build(tiny_mixedae_cfg(mode))
    seen = {}
    model.neck.register_forward_hook(lambda m, args, out: seen.update(pred=out))
    losses = model.loss(torch.randn(8, 3, 32, 32), None)
    assert set(losses) == {'loss_rec', 'loss_homo'}
    assert seen['pred'].shape == (decoded, 16, 8 * 8 * 3)  # every image of every mixed sample
    sum(losses.values()).backward()
    assert model.backbone.segment_embed.grad.abs().sum() > 0
    assert model.contrastive_head.projector.weight.grad.abs().sum() > 0


def test_reconstruction_loss_is_on_the_patches_each_image_did_not_contribute():
    model = _build(tiny_mixedae_cfg(contrastive=False))
    assert model.contrastive_head is None
    model.head.norm_pix = False
    x = torch.randn(8, 3, 32, 32)
    seen = {}
    model.mixer.register_forward_hook(lambda m, args, out: seen.update(mix=out))
    model.neck.register_forward_hook(lambda m, args, out: seen.update(pred=out))
    loss = model.loss(x, None)['loss_rec']
    mix, pred = seen['mix'], seen['pred']
    per_patch = ((pred - model.head.patchify(mix.targets(x)))**2).mean(-1)
    not_own = torch.cat([mix.slots != g for g in range(4)]).float()
    assert torch.isclose(loss, (per_patch * not_own).sum() / not_own.sum())


def test_defaults_first_layer_dense_others_topk_with_k_ratio_r():
    deeper = dict(embed_dims=32, num_layers=4, num_heads=2, feedforward_channels=64)
    model = _build(with_value(tiny_mixedae_cfg(), ('backbone', 'arch'), deeper))
    kinds = [type(layer.attn).__name__ for layer in model.backbone.layers]
    assert kinds[0] != 'HomologousAttention'
    assert kinds[1:] == ['HomologousAttention'] * 3
    assert all(a.k_ratio == 0.25 for a in model.homologous_layers.values())
    chosen = MODELS.build(dict(tiny_mixedae_cfg(), homologous_layers=[0], k_ratio=0.5))
    assert list(chosen.homologous_layers) == [0] and chosen.homologous_layers[0].k_ratio == 0.5


def test_topk_accuracy_is_logged_for_recording_layers():
    model = _build(tiny_mixedae_cfg())
    model.homologous_layers[1].record_topk = True
    losses = model.loss(torch.randn(8, 3, 32, 32), None)
    assert 0 <= losses['topk_acc_layer1'] <= 1
    assert set(losses) == {'loss_rec', 'loss_homo', 'topk_acc_layer1'}


def test_topk_accuracy_counts_homologous_kept_keys():
    slots = torch.tensor([[0, 0, 1, 1]])
    kept = torch.zeros(1, 1, 5, 5, dtype=torch.bool)
    kept[0, 0, 1:, 1:] = True  # every patch query keeps all 4 patch keys: 2 homologous
    assert topk_sampling_accuracy(kept, slots) == pytest.approx(0.5)
    kept[0, 0, 1:] = torch.tensor([False, True, True, False, False])  # queries keep patches 0, 1
    assert topk_sampling_accuracy(kept, slots) == pytest.approx(0.5)  # right for slot 0 only


def reference_homologous_loss(z, slots, tau, positives):
    """Eq. 7 with Python loops over patches."""
    total, count = 0.0, 0
    for b in range(z.shape[0]):
        sims = (z[b] @ z[b].T / tau).tolist()
        for i in range(z.shape[1]):
            pos = [j for j in range(z.shape[1]) if j != i and slots[b, j] == slots[b, i]]
            neg = [j for j in range(z.shape[1]) if slots[b, j] != slots[b, i]]
            if positives == 'separate':
                denom = torch.tensor([sims[i][a] for a in pos + neg]).logsumexp(0).item()
                total += sum(denom - sims[i][p] for p in pos) / len(pos)
            else:
                mean = sum(sims[i][p] for p in pos) / len(pos)
                denom = torch.tensor([mean] + [sims[i][n] for n in neg]).logsumexp(0).item()
                total += denom - mean
            count += 1
    return total / count


@pytest.mark.parametrize('positives', ['separate', 'mean'])
def test_contrastive_loss_matches_the_reference_and_prefers_equal_homologous_features(
        positives):
    head = MODELS.build(dict(type='HomologousContrastiveHead', in_channels=8, proj_dims=8,
                             loss=dict(type='SupervisedContrastiveLoss', temperature=0.25,
                                       positives=positives), loss_weight=1.0))
    head.projector.weight.data = torch.eye(8)
    head.projector.bias.data.zero_()
    slots = torch.tensor([[0, 0, 1, 1, 2, 2], [2, 1, 0, 0, 1, 2]])
    feats = torch.randn(2, 6, 8)
    loss = head.loss(feats, slots)['loss_homo']
    z = torch.nn.functional.normalize(feats, dim=-1)
    assert loss.item() == pytest.approx(reference_homologous_loss(z, slots, 0.25, positives),
                                        rel=1e-5)
    prototypes = torch.randn(2, 3, 8)
    aligned = prototypes.gather(1, slots.unsqueeze(-1).expand(-1, -1, 8))  # equal per image
    assert head.loss(aligned, slots)['loss_homo'] < loss


@pytest.mark.parametrize('change,value,message', [
    (('masker', ), dict(type='RandomMasker'), 'model.masker=.* is invalid: expected None'),
    (('mixer', ), dict(type='PixelMixer'), "model.mixer.type='PixelMixer' is invalid"),
    (('backbone', 'num_segments'), 2, r'model.backbone.num_segments=2 is invalid: expected 0 .* 4'),
    (('contrastive_features', ), 'mid', "model.contrastive_features='mid' is invalid"),
    (('homologous_layers', ), [5], r'model.homologous_layers=\[5\] is invalid'),
    (('contrastive_head', 'in_channels'), 16, 'model.contrastive_head.in_channels=16'),
])
def test_bad_configs_are_clear_errors(change, value, message):
    with pytest.raises(ConfigError, match=message):
        MODELS.build(with_value(tiny_mixedae_cfg(), change, value))


def test_pre_norm_features_option():
    model = _build(dict(tiny_mixedae_cfg(), contrastive_features='pre_norm'))
    assert torch.isfinite(model.loss(torch.randn(4, 3, 32, 32), None)['loss_homo'])


def test_defaults_fill_segments_and_the_contrastive_head_and_zero_switches_segments_off():
    cfg = tiny_mixedae_cfg(segments=False, contrastive=False)
    cfg['backbone'].pop('num_segments')
    cfg.pop('contrastive_head')
    model = _build(cfg)
    assert model.backbone.num_segments == 4
    assert model.contrastive_head.in_channels == 32 and model.contrastive_head.loss_weight == 0.1
    off = _build(with_value(tiny_mixedae_cfg(), ('backbone', 'num_segments'), 0))
    assert not hasattr(off.backbone, 'segment_embed')
    assert set(off.loss(torch.randn(4, 3, 32, 32), None)) == {'loss_rec', 'loss_homo'}


def test_homocon_only_needs_the_contrastive_head():
    from mmengine.config import Config

    from ...conftest import REPO
    cfg = Config.fromfile(
        f'{REPO}/configs/mixedae/mixedae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py')
    cfg.model.update(neck=None, head=None)
    model = MODELS.build(cfg.model)
    losses = model.loss(torch.randn(4, 3, 64, 64), [])
    assert set(losses) == {'loss_homo'} and losses['loss_homo'].requires_grad
    with pytest.raises(ConfigError, match='reconstruct'):
        model.reconstruct(torch.randn(4, 3, 64, 64))
    cfg.model.contrastive_head = None
    with pytest.raises(ConfigError, match="model.neck=None is invalid: .*or model.aux_heads or model.contrastive_head"):
        MODELS.build(cfg.model)
