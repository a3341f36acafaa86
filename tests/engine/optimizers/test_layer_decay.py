"""Layer-wise lr decay reaches every ViT layer in mmseg and mmdet models of the shipped configs."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from mimtoolkit.utils import ConfigError
from ...conftest import REPO

ARCH = dict(embed_dims=32, num_layers=4, num_heads=2, feedforward_channels=64)


def shipped(path: str) -> Config:
    """A shipped downstream config with a tiny ViT (4 layers) and no checkpoint."""
    cfg = Config.fromfile(osp.join(REPO, 'configs/downstream', path))
    cfg.model.backbone.update(arch=ARCH, img_size=64, patch_size=16, out_indices=[0, 1, 2, 3],
                              init_cfg=None)
    cfg.optim_wrapper.type = 'OptimWrapper'
    return cfg


def build(cfg: Config, scope: str):
    init_default_scope(scope)
    registry = __import__(f'{scope}.registry', fromlist=['MODELS']).MODELS
    return registry.build(cfg.model)


def lr_by_name(model, cfg):
    wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    return {g['param_name']: g['lr'] for g in wrapper.optimizer.param_groups}


def check_per_layer_rates(lrs, base_lr=1e-4, rate=0.65, depths=6):
    """Layer i gets base * rate^(D - 2 - i), the stem the lowest, everything after the top."""
    for i in range(4):
        layer = {v for k, v in lrs.items() if k.startswith(f'backbone.layers.{i}.')}
        assert len(layer) == 1 and layer.pop() == pytest.approx(base_lr * rate**(depths - 2 - i))
    assert lrs['backbone.patch_embed.projection.weight'] == pytest.approx(base_lr * rate**5)
    stem_token = 'backbone.cls_token' if 'backbone.cls_token' in lrs else 'backbone.pos_embed'
    assert lrs[stem_token] == pytest.approx(base_lr * rate**5)  # ConvViT: no [CLS]
    if 'backbone.ln1.weight' in lrs:  # ConvViT's dense maps skip the final norm
        assert lrs['backbone.ln1.weight'] == pytest.approx(base_lr)
    top = 'backbone.ln1.weight' in lrs
    assert len({round(v, 12) for k, v in lrs.items()
                if k.startswith('backbone.')}) == depths - (not top)
    heads = [v for k, v in lrs.items() if not k.startswith('backbone.')]
    assert heads and all(v == pytest.approx(base_lr) for v in heads)


def tiny_upernet():
    """(model, config) of the shipped MAE UperNet config with a tiny ViT."""
    cfg = shipped('ade20k/mae_vit-base-p16_upernet_8xb2-amp-160k_ade20k-512x512.py')
    cfg.model.neck.embed_dim = 32
    cfg.model.decode_head.update(in_channels=[32] * 4, channels=16)
    cfg.model.auxiliary_head.update(in_channels=32, channels=16)
    return build(cfg, 'mmseg'), cfg


def test_mmseg_upernet_gets_a_learning_rate_per_vit_layer():
    model, cfg = tiny_upernet()
    lrs = lr_by_name(model, cfg)
    check_per_layer_rates(lrs)
    assert lrs['decode_head.conv_seg.weight'] == pytest.approx(1e-4)


def test_mmseg_own_constructor_keys_off_class_names_and_refuses_our_backbone():
    """Why the configs use our constructor: mmseg's picks its rule by the backbone's name."""
    model, cfg = tiny_upernet()
    cfg.optim_wrapper.update(constructor='LayerDecayOptimizerConstructor',
                             paramwise_cfg=dict(num_layers=4, layer_decay_rate=0.65))
    with pytest.raises(NotImplementedError):
        build_optim_wrapper(model, cfg.optim_wrapper)


def test_mmdet_cascade_mask_rcnn_gets_a_learning_rate_per_vit_layer():
    cfg = shipped('coco/mae_vit-base-p16_cascade-mask-rcnn_fpn_8xb2-amp-1x_coco.py')
    cfg.model.neck[0].embed_dim = 32
    cfg.model.neck[1].in_channels = [32] * 4
    model = build(cfg, 'mmdet')
    lrs = lr_by_name(model, cfg)
    check_per_layer_rates(lrs)
    assert lrs['roi_head.bbox_head.0.fc_cls.weight'] == pytest.approx(1e-4)


def test_convvit_and_proxies_get_per_layer_rates_too():
    cfg = shipped(
        'coco/semanticmim-maskfeat_vit-base-p16_cascade-mask-rcnn_fpn_8xb2-amp-1x_coco.py')
    cfg.model.neck[0].embed_dim = 32
    cfg.model.neck[1].in_channels = [32] * 4
    lrs = lr_by_name(build(cfg, 'mmdet'), cfg)
    assert lrs['backbone.proxy_tokens'] == pytest.approx(1e-4 * 0.65**5)
    check_per_layer_rates(lrs)
    cfg = Config.fromfile(osp.join(
        REPO, 'configs/downstream/ade20k',
        'mrmae_convvit-base-p16_upernet_8xb2-amp-160k_ade20k-512x512.py'))
    cfg.model.backbone.update(arch=dict(embed_dims=[16, 24, 32], depths=[1, 1, 4], num_heads=2),
                              img_size=64, init_cfg=None)
    cfg.model.decode_head.update(in_channels=[16, 24, 32, 32], channels=16)
    cfg.model.auxiliary_head.update(in_channels=32, channels=16)
    cfg.optim_wrapper.type = 'OptimWrapper'
    lrs = lr_by_name(build(cfg, 'mmseg'), cfg)
    assert lrs['backbone.patch_embed.stage1.0.conv1.weight'] == pytest.approx(1e-4 * 0.65**5)
    check_per_layer_rates(lrs)


def test_a_model_whose_backbone_has_no_layer_depths_is_a_clear_error():
    cfg = shipped('ade20k/mae_vit-base-p16_upernet_8xb2-amp-160k_ade20k-512x512.py')
    model = torch.nn.Module()
    model.backbone = torch.nn.Linear(2, 2)
    with pytest.raises(ConfigError, match='optim_wrapper.constructor=.*get_layer_depth'):
        build_optim_wrapper(model, cfg.optim_wrapper)
