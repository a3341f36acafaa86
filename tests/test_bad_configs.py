"""A table of bad configs: each fails at build time, before any data is loaded, with one
error that names the config key, the value given and what is allowed."""
import pytest

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError
from .conftest import (TINY_ARCH, tiny_imae_cfg, tiny_mae_cfg, tiny_maskfeat_cfg,
                       tiny_mixedae_cfg, with_value)

MAE, MASKFEAT, MIXEDAE = tiny_mae_cfg(), tiny_maskfeat_cfg(), tiny_mixedae_cfg()
CONV_ARCH = dict(embed_dims=[16, 24, 32], depths=[1, 1, 2], num_heads=2)

# (what is wrong, config, the error it must give: key=value and what is allowed)
BAD = [
    ('mask ratio above 1', with_value(MAE, ('masker', 'mask_ratio'), 1.2),
     r'masker.mask_ratio=1.2 is invalid: expected a float in \(0, 1\)'),
    ('mask ratio 0', with_value(MAE, ('masker', 'mask_ratio'), 0.0),
     r'masker.mask_ratio=0.0 is invalid: expected a float in \(0, 1\)'),
    ('patch size does not divide the image', with_value(MAE, ('backbone', 'img_size'), 30),
     r'backbone.img_size=30 is invalid: expected a multiple of backbone.patch_size=8'),
    ('patch size 0', with_value(MAE, ('backbone', 'patch_size'), 0),
     r'backbone.patch_size=0 is invalid: expected a positive int'),
    ('unknown encoder size', with_value(MAE, ('backbone', 'arch'), 'xxl'),
     r"backbone.arch='xxl' is invalid: expected one of \["),
    ('1/r not an integer', with_value(MIXEDAE, ('mixer', 'mix_ratio'), 0.3),
     r'mix_ratio=0.3 is invalid: expected .*1/r'),
    ('MixedAE given a masker', dict(MIXEDAE, masker=dict(type='RandomMasker')),
     r"model.masker=.*is invalid: expected None: MixedAE masks by mixing"),
    ('MAE given a mixer', dict(MAE, mixer=dict(type='PixelMixer')),
     r"model.mixer='PixelMixer' is invalid: MAE has no mixed-input branches"),
    ('i-MAE on a proxy-branch encoder',
     with_value(tiny_imae_cfg(), ('backbone', 'num_proxy_tokens'), 4),
     r"model.backbone.type='ProxyViT' is invalid: expected an encoder that drops the masked "
     r'patches for IMAE'),
    ('negative proxy count', with_value(MASKFEAT, ('backbone', 'num_proxy_tokens'), -1),
     r'backbone.num_proxy_tokens=-1 is invalid: expected an int >= 0'),
    ('fusion without the last layer', with_value(MAE, ('backbone', 'fusion_layers'), [0]),
     r'backbone.fusion_layers=\[0\] is invalid: expected .*include the last layer 1'),
    ('attention list of the wrong length',
     with_value(MAE, ('backbone', 'attn_cfgs'), [dict(type='DenseAttention')] * 3),
     r'backbone.attn_cfgs=.* is invalid: expected one dict, or a list of 2 dicts'),
    ('TopK keeps more keys than there are (K > L)',
     with_value(MAE, ('backbone', 'attn_cfgs'), dict(type='HomologousAttention', k_ratio=1.5)),
     r'k_ratio=1.5 is invalid: expected .*\(0, 1\]'),
    ('segment slots for another group size',
     with_value(MIXEDAE, ('backbone', 'num_segments'), 3),
     r'model.backbone.num_segments=3 is invalid: expected'),
    ('homologous layer beyond the encoder', dict(MIXEDAE, homologous_layers=[0, 5]),
     r'model.homologous_layers=\[0, 5\] is invalid: expected 0-based layer indices below 2'),
    ('MAE on a mask-token encoder', with_value(MAE, ('backbone', 'use_mask_token'), True),
     r'model.backbone.use_mask_token=True is invalid: expected False for MAE'),
    ('decoder predicting another patch size', with_value(MAE, ('neck', 'patch_size'), 4),
     r'model.neck.patch_size=48 is invalid: expected a decoder predicting 8x8x3'),
    ('reconstruction head of another patch size', with_value(MAE, ('head', 'patch_size'), 4),
     r'model.head.patch_size=4 is invalid: expected 8 \(the backbone patch size\)'),
    ('decoder width not the encoder width', with_value(MAE, ('neck', 'embed_dim'), 64),
     r'model.neck.embed_dim=64 is invalid: expected 32'),
    ('decoder for another number of patches', with_value(MAE, ('neck', 'num_patches'), 64),
     r'model.neck.num_patches=64 is invalid: expected 16'),
    ('HOG of another patch size', with_value(MASKFEAT, ('target_generator', 'patch_size'), 16),
     r'model.target_generator.patch_size=16 is invalid: expected 8'),
    ('prediction head of the wrong size', with_value(MASKFEAT, ('head', 'out_channels'), 10),
     r'model.head.out_channels=10 is invalid: expected 108'),
    ('missing teacher checkpoint', tiny_imae_cfg(teacher_checkpoint='/nonexistent/mae.pth'),
     r"teacher.checkpoint='/nonexistent/mae.pth' is invalid: expected an existing"),
    ('contrastive temperature 0',
     with_value(MIXEDAE, ('contrastive_head', 'loss'),
                dict(type='SupervisedContrastiveLoss', temperature=0.0)),
     r'HomologousContrastiveHead.loss.temperature=0.0 is invalid: expected a float > 0'),
    ('ConvViT with two stages', dict(MAE, backbone=dict(
        type='ConvViT', arch=CONV_ARCH, img_size=64, patch_sizes=[4, 2])),
     r'backbone.patch_sizes=\[4, 2\] is invalid: expected three positive ints'),
    ('transfer backbone without its checkpoint', dict(
        type='MIMViT', arch=TINY_ARCH, img_size=32, patch_size=8,
        init_cfg=dict(type='Pretrained', checkpoint=None)),
     r'backbone.init_cfg.checkpoint=None is invalid: expected an existing checkpoint file'),
    ('pyramid neck with one scale too few', dict(type='ViTPyramidNeck', embed_dim=8,
                                                 rescales=[4, 2, 1]),
     r'neck.rescales=\[4, 2, 1\] is invalid: expected one of'),
]


def test_the_table_covers_at_least_twenty_bad_configs():
    assert len(BAD) >= 20


@pytest.mark.parametrize('what,cfg,message', BAD, ids=[row[0] for row in BAD])
def test_bad_config_is_one_clear_error_at_build_time(what, cfg, message):
    with pytest.raises(ConfigError, match=message) as err:
        model = MODELS.build(cfg)
        model.init_weights()  # transfer backbones read their checkpoint here
    assert '\n' not in str(err.value), 'one line'
