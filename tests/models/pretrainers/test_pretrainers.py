"""MAE and MaskFeat: one step each, named losses, gradients, and clear build errors."""
import pytest
import torch

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError
from ...conftest import tiny_mae_cfg, tiny_maskfeat_cfg, with_value


@pytest.mark.parametrize('cfg,loss_name', [(tiny_mae_cfg(), 'loss_rec'),
                                           (tiny_maskfeat_cfg(), 'loss_hog')])
def test_one_training_step(cfg, loss_name):
    model = MODELS.build(cfg)
    model.init_weights()
    batch = dict(inputs=torch.randint(0, 255, (4, 3, 32, 32), dtype=torch.uint8),
                 data_samples=None)
    data = model.data_preprocessor(batch, True)
    losses = model(**data, mode='loss')
    assert set(losses) == {loss_name} and torch.isfinite(losses[loss_name])
    losses[loss_name].backward()
    assert model.backbone.layers[0].attn.qkv.weight.grad.abs().sum() > 0
    feats = model(data['inputs'], mode='tensor')  # transfer path: unmasked
    assert feats[-1].shape == (4, 17, 32)


def test_mae_loss_ignores_visible_patch_predictions():
    model = MODELS.build(tiny_mae_cfg(norm_pix=False))
    x = torch.randn(2, 3, 32, 32)
    torch.manual_seed(1)
    pred, info = model._predict(x)
    torch.manual_seed(1)
    loss = model.loss(x, None)['loss_rec']
    target = model.head.patchify(x)
    per_patch = ((pred - target)**2).mean(-1)
    assert torch.isclose(loss, (per_patch * info.mask).sum() / info.mask.sum())


def test_mae_reconstruct_gives_pixel_images_and_mask():
    model = MODELS.build(tiny_mae_cfg())
    out = model.reconstruct(torch.randn(2, 3, 32, 32))
    mask, recon = out.mask, out.pred
    assert mask.shape == (2, 1, 32, 32) and recon.shape == (2, 3, 32, 32)
    assert torch.allclose(mask.mean((1, 2, 3)), torch.full((2, ), 0.75))


@pytest.mark.parametrize('cfg,message', [
    (with_value(tiny_mae_cfg(), ('neck', 'num_patches'), 64), r'model.neck.num_patches=64 .* 16'),
    (with_value(tiny_mae_cfg(), ('neck', 'embed_dim'), 48), r'model.neck.embed_dim=48 .* 32'),
    (with_value(tiny_mae_cfg(), ('head', 'patch_size'), 4), r'model.head.patch_size=4 .* 8'),
    (with_value(tiny_mae_cfg(), ('backbone', 'use_mask_token'), True),
     'model.backbone.use_mask_token=True'),
    (with_value(tiny_mae_cfg(), ('masker', ), None), 'model.masker=None'),
    (with_value(tiny_mae_cfg(), ('mixer', ), dict(type='PixelMixer')),
     "model.mixer='PixelMixer' is invalid: MAE has no mixed-input branches"),
    (with_value(tiny_maskfeat_cfg(), ('backbone', 'use_mask_token'), False),
     'model.backbone.use_mask_token=False'),
    (with_value(tiny_maskfeat_cfg(), ('head', 'out_channels'), 27),
     r'model.head.out_channels=27 .* 108'),
    (with_value(tiny_maskfeat_cfg(), ('target_generator', 'patch_size'), 4),
     'model.target_generator.patch_size=4'),
    (with_value(tiny_maskfeat_cfg(), ('target_generator', 'gaussian_window'), 12),
     'model.target_generator.gaussian_window=12'),
])
def test_inconsistent_parts_fail_at_build_naming_the_key(cfg, message):
    with pytest.raises(ConfigError, match=message):
        MODELS.build(cfg)


def test_the_checks_run_after_a_subclass_has_built_its_own_parts():
    import copy

    import torch.nn as nn

    from mimtoolkit.models.pretrainers import MAE

    class WithLateHead(MAE):
        """A method that adds an auxiliary head after MAE's __init__ (as i-MAE adds its own)."""

        def __init__(self, late_width, **kwargs):
            super().__init__(**kwargs)
            self.aux_heads = nn.ModuleList([MODELS.build(dict(
                type='HomologousContrastiveHead', in_channels=late_width))])

    cfg = {k: v for k, v in tiny_mae_cfg().items() if k != 'type'}
    with pytest.raises(ConfigError, match=r'HomologousContrastiveHead.* needs \[.slots.\]'):
        WithLateHead(late_width=32, **cfg)  # MAE's parts alone pass; the late head does not
    model = MODELS.build(tiny_mae_cfg())
    model.aux_heads.append(MODELS.build(dict(type='HomologousContrastiveHead', in_channels=32)))
    copy.deepcopy(model)  # copying constructs nothing: no check runs again
