"""i-MAE: named losses per branch, the teacher's inputs and freezing, variants, clear errors."""
import pytest
import torch

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError
from ...conftest import TINY_ARCH, tiny_imae_cfg, with_value


def _build(cfg):
    model = MODELS.build(cfg)
    model.init_weights()
    return model


def test_one_step_has_a_loss_per_branch_and_distillation(mae_checkpoint):
    model = _build(tiny_imae_cfg(mae_checkpoint[0]))
    losses = model.loss(torch.randn(4, 3, 32, 32), None)
    assert set(losses) == {'loss_rec_sub', 'loss_rec_dom', 'loss_distill', 'distill_sub',
                           'distill_dom'}
    assert all(torch.isfinite(v) for v in losses.values())
    assert not losses['distill_sub'].requires_grad  # logged, not optimised
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    f1, f2 = model.disentangle.branches
    assert f1.weight.grad.abs().sum() > 0 and f2.weight.grad.abs().sum() > 0
    assert model.backbone.layers[0].attn.qkv.weight.grad.abs().sum() > 0


def test_teacher_sees_each_clean_image_with_the_students_mask_and_gets_no_gradient(
        mae_checkpoint):
    model = _build(tiny_imae_cfg(mae_checkpoint[0]))
    model.train()
    seen = {}
    model.mixer.register_forward_hook(lambda m, i, out: seen.update(mix=out))
    model.masker.register_forward_hook(lambda m, i, out: seen.update(mask=out))
    teacher = model.distill_head.teacher
    teacher.register_forward_hook(
        lambda m, args, out: seen.update(teacher_images=args[0], teacher_mask=args[1]))
    losses = model.loss(torch.randn(4, 3, 32, 32), None)
    mix, mask = seen['mix'], seen['mask']
    assert torch.equal(seen['teacher_images'], torch.cat([mix.subordinate, mix.dominant]))
    assert not torch.equal(seen['teacher_images'][:4], mix.mixed)  # clean, not mixed
    assert torch.equal(seen['teacher_mask'].ids_keep, mask.ids_keep.repeat(2, 1))
    assert torch.equal(seen['teacher_mask'].mask, mask.mask.repeat(2, 1))
    sum(losses.values()).backward()
    assert not teacher.training and model.training
    assert all(not p.requires_grad and p.grad is None for p in teacher.parameters())


def test_distillation_is_the_weighted_l2_to_the_teacher_features(mae_checkpoint):
    path, mae = mae_checkpoint
    model = _build(tiny_imae_cfg(path))
    x = torch.randn(4, 3, 32, 32)
    seen = {}
    model.mixer.register_forward_hook(lambda m, i, out: seen.update(mix=out))
    model.masker.register_forward_hook(lambda m, i, out: seen.update(mask=out))
    model.disentangle.register_forward_hook(lambda m, i, out: seen.update(h=out))
    losses = model.loss(x, None)
    loss = losses['loss_distill']
    mix, mask = seen['mix'], seen['mask']
    with torch.no_grad():  # the teacher is the MAE encoder of the checkpoint
        t_sub = mae.backbone.encode(mix.subordinate, mask).visible
        t_dom = mae.backbone.encode(mix.dominant, mask).visible
    h_sub, h_dom = (h[:, 1:] for h in seen['h'])
    mse_sub, mse_dom = ((h_sub - t_sub)**2).mean(), ((h_dom - t_dom)**2).mean()
    # Eq. 5 / Algorithm 1: c times the SUM of the two branches' terms (c = 0.5 here)
    assert torch.allclose(loss, 0.5 * (mse_sub + mse_dom), rtol=1e-5)
    assert torch.allclose(losses['distill_sub'], mse_sub, rtol=1e-5)
    assert torch.allclose(losses['distill_dom'], mse_dom, rtol=1e-5)


def test_a_swapped_distillation_loss_is_summed_over_the_branches_and_logged_per_branch(
        mae_checkpoint):
    path, mae = mae_checkpoint
    cfg = tiny_imae_cfg(path)
    cfg['distill_head']['loss'] = dict(type='FeatureRegressionLoss', criterion='cosine',
                                       target_norm='layer_norm')
    model = _build(cfg)
    seen = {}
    model.mixer.register_forward_hook(lambda m, i, out: seen.update(mix=out))
    model.masker.register_forward_hook(lambda m, i, out: seen.update(mask=out))
    model.disentangle.register_forward_hook(lambda m, i, out: seen.update(h=out))
    losses = model.loss(torch.randn(4, 3, 32, 32), None)
    mix, mask = seen['mix'], seen['mask']
    terms = []
    for h, image in zip(seen['h'], (mix.subordinate, mix.dominant)):
        with torch.no_grad():
            teacher = mae.backbone.encode(image, mask).visible
        target = torch.nn.functional.layer_norm(teacher, teacher.shape[-1:])
        cos = torch.nn.functional.cosine_similarity(h[:, 1:], target, dim=-1)
        terms.append((1 - cos).mean())
    assert torch.allclose(losses['loss_distill'], 0.5 * (terms[0] + terms[1]), rtol=1e-5)
    assert torch.allclose(losses['distill_sub'], terms[0], rtol=1e-5)
    assert torch.allclose(losses['distill_dom'], terms[1], rtol=1e-5)


@pytest.mark.parametrize('combine,factor', [('sum', 1.0), ('mean', 0.5)])
def test_distill_combine_sums_the_branches_terms_as_the_paper_or_averages_them(
        mae_checkpoint, combine, factor):
    cfg = tiny_imae_cfg(mae_checkpoint[0])
    cfg['distill_combine'] = combine
    model = _build(cfg)
    torch.manual_seed(0)
    losses = model.loss(torch.randn(4, 3, 32, 32), None)
    expected = model.distill_head.loss_weight * factor * (
        losses['distill_sub'] + losses['distill_dom'])
    assert torch.allclose(losses['loss_distill'], expected, rtol=1e-6)


def test_reconstruction_loss_of_each_branch_targets_its_own_image():
    model = _build(tiny_imae_cfg(norm_pix=False))
    seen = {}
    model.mixer.register_forward_hook(lambda m, i, out: seen.update(mix=out))
    model.masker.register_forward_hook(lambda m, i, out: seen.update(mask=out))
    model.neck.register_forward_hook(lambda m, i, out: seen.update(pred=out))
    losses = model.loss(torch.randn(4, 3, 32, 32), None)
    mix, mask, pred = seen['mix'], seen['mask'].mask, seen['pred']
    for name, target, p in (('sub', mix.subordinate, pred[:4]), ('dom', mix.dominant, pred[4:])):
        per_patch = ((p - model.head.patchify(target))**2).mean(-1)
        assert torch.isclose(losses[f'loss_rec_{name}'], (per_patch * mask).sum() / mask.sum())


def test_imae_sub_and_without_distill_variants(mae_checkpoint):
    sub = _build(tiny_imae_cfg(mae_checkpoint[0], branches=('subordinate', )))
    assert len(sub.disentangle.branches) == 1
    assert set(sub.loss(torch.randn(4, 3, 32, 32), None)) == {'loss_rec_sub', 'loss_distill'}
    plain = _build(tiny_imae_cfg())
    assert plain.distill_head is None
    assert set(plain.loss(torch.randn(4, 3, 32, 32), None)) == {'loss_rec_sub', 'loss_rec_dom'}


def test_teacher_is_not_saved_and_survives_init_and_checkpoint_loading(mae_checkpoint):
    path, mae = mae_checkpoint
    model = _build(tiny_imae_cfg(path))
    teacher_qkv = model.distill_head.teacher.encoder.layers[0].attn.qkv.weight
    assert torch.equal(teacher_qkv, mae.backbone.layers[0].attn.qkv.weight)  # after init_weights
    state = model.state_dict()
    assert not any('teacher' in k for k in state)
    state = {k: torch.zeros_like(v) if k.startswith('backbone.') else v for k, v in state.items()}
    assert not model.load_state_dict(state, strict=True).missing_keys
    assert torch.equal(model.distill_head.teacher.encoder.layers[0].attn.qkv.weight,
                       mae.backbone.layers[0].attn.qkv.weight)
    assert model.backbone.layers[0].attn.qkv.weight.abs().sum() == 0


def test_reconstruct_shows_mixed_input_and_subordinate_reconstruction():
    model = _build(tiny_imae_cfg())
    out = model.reconstruct(torch.randn(4, 3, 32, 32), alpha=0.2)
    assert out.inputs.shape == out.pred.shape == (4, 3, 32, 32)
    assert torch.allclose(out.inputs, 0.2 * out.extras['subordinate'] +
                          0.8 * out.extras['dominant'], atol=1e-5)
    assert torch.equal(out.target, out.extras['subordinate'])


@pytest.mark.parametrize('change,value,message', [
    (('branches', ), ('middle', ), r"model.branches=\('middle',\) is invalid: expected distinct"),
    (('branches', ), (), r'model.branches=\(\) is invalid'),
    (('mixer', ), None, r'model.mixer=None is invalid: expected a pixel mixer'),
    (('distill_combine', ), 'max',
     r"model.distill_combine='max' is invalid: expected one of \('sum', 'mean'\)"),
    (('disentangle', ), dict(type='DisentangleNeck', in_channels=32, num_branches=1),
     r'model.disentangle.num_branches=1 is invalid: expected 2'),
    (('disentangle', ), dict(type='DisentangleNeck', in_channels=32, out_channels=8),
     r"model.disentangle.out_channels=8 is invalid: expected 32 \(the shared decoder"),
])
def test_bad_configs_are_clear_errors(change, value, message):
    with pytest.raises(ConfigError, match=message):
        MODELS.build(with_value(tiny_imae_cfg(), change, value))


def test_teacher_checkpoint_errors(tmp_path, mae_checkpoint):
    missing = str(tmp_path / 'nope.pth')
    with pytest.raises(ConfigError, match=r"teacher.checkpoint='.*nope.pth' is invalid: "
                       'expected an existing checkpoint file'):
        MODELS.build(tiny_imae_cfg(missing))
    wide = dict(tiny_imae_cfg(mae_checkpoint[0]))
    wide['distill_head']['teacher']['encoder'] = dict(
        type='MIMViT', arch=dict(TINY_ARCH, embed_dims=48), img_size=32, patch_size=8)
    with pytest.raises(ConfigError, match='teacher.checkpoint=.* does not match the model: '
                       'shapes differ'):
        MODELS.build(wide)


def test_mae_refuses_a_mixer_and_imae_refuses_a_non_pixel_mixer():
    cfg = dict(tiny_imae_cfg(), type='MAE')
    cfg.pop('branches')
    with pytest.raises(ConfigError, match="model.mixer='PixelMixer' is invalid: MAE has no "
                       'mixed-input branches'):
        MODELS.build(cfg)
    with pytest.raises(ConfigError, match="model.mixer.type='RandomMasker' is invalid"):
        MODELS.build(dict(tiny_imae_cfg(), mixer=dict(type='RandomMasker')))
