"""Transfer end to end: pretraining checkpoints of every backbone kind -> the shipped ADE20K
UperNet and COCO Cascade Mask R-CNN configs -> tools/train.py -> tools/test.py metrics.

The shipped configs are run as they are, inherited by a tiny config that only shrinks them
(model widths, image sizes, iterations) and points them at fixtures in the real formats
made from real photos; the checkpoint comes in through ``--cfg-options``.
"""
import json
import os.path as osp

import pytest
import torch

from mimtoolkit.registry import MODELS
from ..conftest import REPO, free_port, run_tool, tiny_mae_cfg, tiny_maskfeat_cfg
from ..transfer_fixtures import make_ade20k, make_coco

pytestmark = pytest.mark.slow

ARCH = dict(embed_dims=32, num_layers=4, num_heads=2, feedforward_channels=64)
CONV_ARCH = dict(embed_dims=[16, 24, 32], depths=[1, 1, 2], num_heads=2)
# backbone kind -> the tiny downstream backbone (overrides of the shipped config's)
KINDS = {
    'vit': dict(backbone=dict(arch=dict(_delete_=True, **ARCH), img_size=64, patch_size=8,
                              out_indices=[0, 1, 2, 3])),
    'vit-proxies': dict(backbone=dict(arch=dict(_delete_=True, **ARCH), img_size=64, patch_size=8,
                                      out_indices=[0, 1, 2, 3], num_proxy_tokens=4,
                                      proxy_block=None)),
    'convvit': dict(backbone=dict(_delete_=True, type='mimtoolkit.ConvViT', arch=CONV_ARCH,
                                  img_size=64, sincos_pos_embed=False,
                                  init_cfg=dict(type='Pretrained', prefix='backbone.'))),
}
SEG_CONFIGS = {
    'vit': 'mae_vit-base-p16_upernet_8xb2-amp-160k_ade20k-512x512.py',
    'vit-proxies': 'semanticmim-maskfeat_vit-base-p16_upernet_8xb2-amp-160k_ade20k-512x512.py',
    'convvit': 'mrmae_convvit-base-p16_upernet_8xb2-amp-160k_ade20k-512x512.py',
}
DET_CONFIGS = {
    'vit': 'mae_vit-base-p16_cascade-mask-rcnn_fpn_8xb2-amp-1x_coco.py',
    'vit-proxies': 'semanticmim-maskfeat_vit-base-p16_cascade-mask-rcnn_fpn_8xb2-amp-1x_coco.py',
    'convvit': 'mrmae_convvit-base-p16_cascade-mask-rcnn_fpn_8xb2-amp-1x_coco.py',
}


def pretrainer_cfg(kind: str) -> dict:
    """A tiny pretrainer whose backbone is of ``kind``."""
    if kind == 'vit':
        cfg = tiny_mae_cfg(img=64)
        cfg['backbone']['arch'] = ARCH
        cfg['neck']['num_patches'] = 64
    elif kind == 'vit-proxies':  # SemanticMIM on MaskFeat: proxies + [MASK] branch
        cfg = tiny_maskfeat_cfg(img=64)
        cfg['backbone'].update(arch=ARCH, num_proxy_tokens=4)
    else:  # MAE on a ConvViT (the MR-MAE encoder)
        cfg = tiny_mae_cfg(img=64, patch=16)
        cfg['backbone'] = dict(type='ConvViT', arch=CONV_ARCH, img_size=64)
    return cfg


@pytest.fixture(scope='module')
def data(tmp_path_factory):
    """Pretraining checkpoints of each kind, the ADE20K and COCO fixtures."""
    root = tmp_path_factory.mktemp('transfer')
    ckpts = {}
    for kind in KINDS:
        model = MODELS.build(pretrainer_cfg(kind))
        model.init_weights()
        ckpts[kind] = str(root / f'{kind}.pth')
        torch.save({'meta': {}, 'state_dict': model.state_dict()}, ckpts[kind])
    return dict(root=root, ckpts=ckpts, ade=make_ade20k(str(root / 'ade')),
                coco=make_coco(str(root / 'coco')))


def backbone_lines(kind: str) -> str:
    """The tiny backbone of ``kind`` as a config line."""
    return f"model = dict(backbone={KINDS[kind]['backbone']!r})\n"


def seg_config(tmp, kind: str, ade_root: str) -> str:
    """The shipped UperNet config of ``kind``, shrunk."""
    channels = [16, 24, 32, 32] if kind == 'convvit' else [32] * 4
    text = f"""_base_ = [{osp.join(REPO, 'configs/downstream/ade20k', SEG_CONFIGS[kind])!r}]
crop_size = (64, 64)
bn = dict(type='BN', requires_grad=True)
{backbone_lines(kind)}model.update(
    data_preprocessor=dict(size=crop_size),
    decode_head=dict(in_channels={channels}, channels=16, pool_scales=(1, 2), norm_cfg=bn),
    auxiliary_head=dict(in_channels=32, channels=16, norm_cfg=bn),
    test_cfg=dict(mode='slide', crop_size=crop_size, stride=(43, 43)))
if {kind != 'convvit'}:
    model['neck'] = dict(embed_dim=32, rescales=[2, 1, 0.5, 0.25], norm_cfg=bn)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='RandomResize', scale=(128, 64), ratio_range=(0.5, 2.0), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(128, 64), keep_ratio=True),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs'),
]
loader = dict(num_workers=0, persistent_workers=False)
train_dataloader = dict(batch_size=2, **loader,
                        dataset=dict(data_root={ade_root!r}, pipeline=train_pipeline))
val_dataloader = dict(**loader, dataset=dict(data_root={ade_root!r}, pipeline=test_pipeline))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=2, val_interval=100)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
optim_wrapper = dict(type='OptimWrapper')
"""
    path = osp.join(tmp, f'upernet_{kind}.py')
    with open(path, 'w') as f:
        f.write(text)
    return path


def det_config(tmp, kind: str, coco_root: str) -> str:
    """The shipped Cascade Mask R-CNN config of ``kind``, shrunk."""
    if kind == 'convvit':
        neck = "dict(_delete_=True, type='FPN', in_channels=[16, 24, 32, 32], out_channels=256, " \
               "num_outs=5)"
    else:
        neck = ("[dict(type='mimtoolkit.ViTPyramidNeck', embed_dim=32, rescales=[2, 1, 0.5, 0.25],"
                " norm_cfg=dict(type='BN')), dict(type='FPN', in_channels=[32] * 4, "
                "out_channels=256, num_outs=5)]")
    text = f"""_base_ = [{osp.join(REPO, 'configs/downstream/coco', DET_CONFIGS[kind])!r}]
{backbone_lines(kind)}model.update(
    neck={neck},
    # two iterations leave every score low: keep them all, so CocoMetric has results to score
    test_cfg=dict(rcnn=dict(score_thr=0.0)))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='Resize', scale=(96, 96), keep_ratio=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(96, 96), keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor')),
]
loader = dict(num_workers=0, persistent_workers=False)
train_dataloader = dict(batch_size=2, **loader, dataset=dict(
    data_root={coco_root + '/'!r}, ann_file='annotations/instances_train.json',
    data_prefix=dict(img='train/'), pipeline=train_pipeline))
val_dataloader = dict(**loader, dataset=dict(
    data_root={coco_root + '/'!r}, ann_file='annotations/instances_val.json',
    data_prefix=dict(img='val/'), pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(ann_file={coco_root + '/annotations/instances_val.json'!r})
test_evaluator = val_evaluator
train_cfg = dict(max_epochs=1, val_interval=100)
default_hooks = dict(logger=dict(interval=1))
optim_wrapper = dict(type='OptimWrapper')
"""
    path = osp.join(tmp, f'cascade_{kind}.py')
    with open(path, 'w') as f:
        f.write(text)
    return path


def train_and_test(config: str, ckpt: str, work_dir: str, trained: str):
    """tools/train.py then tools/test.py on the trained weights; (train log, metrics)."""
    train = run_tool(['tools/train.py', config, '--work-dir', work_dir,
                      '--cfg-options', f'model.backbone.init_cfg.checkpoint={ckpt}'])
    out = osp.join(work_dir, 'metrics.json')
    run_tool(['tools/test.py', config, osp.join(work_dir, trained), '--work-dir', work_dir,
              '--out', out, '--cfg-options', f'model.backbone.init_cfg.checkpoint={ckpt}'])
    with open(out) as f:
        return train.stdout + train.stderr, json.load(f)


def check_backbone_log(log: str, kind: str) -> None:
    """The checkpoint loaded with nothing missing, and what was left out is named."""
    assert 'missing: none' in log
    if kind == 'vit-proxies':  # MaskFeat's mask token and SemanticMIM's [MASK] branch
        assert 'Left out on purpose' in log and 'mask_layers.* (' in log and 'mask_token' in log


@pytest.mark.parametrize('kind', list(KINDS))
def test_upernet_on_ade20k_trains_and_tests_from_a_pretraining_checkpoint(kind, data, tmp_path):
    config = seg_config(str(tmp_path), kind, data['ade'])
    log, metrics = train_and_test(config, data['ckpts'][kind], str(tmp_path / 'work'),
                                  'iter_2.pth')
    check_backbone_log(log, kind)
    assert 0.0 <= metrics['mIoU'] <= 100.0
    assert {'aAcc', 'mIoU', 'mAcc'} <= set(metrics)


@pytest.mark.parametrize('kind', list(KINDS))
def test_cascade_mask_rcnn_on_coco_trains_and_tests_from_a_pretraining_checkpoint(
        kind, data, tmp_path):
    config = det_config(str(tmp_path), kind, data['coco'])
    log, metrics = train_and_test(config, data['ckpts'][kind], str(tmp_path / 'work'),
                                  'epoch_1.pth')
    check_backbone_log(log, kind)
    for task in ('bbox', 'segm'):
        assert -1.0 <= metrics[f'coco/{task}_mAP'] <= 1.0
        assert f'coco/{task}_mAP_50' in metrics


def test_dist_train_runs_the_upernet_config_on_two_processes(data, tmp_path):
    config = seg_config(str(tmp_path), 'vit', data['ade'])
    work = tmp_path / 'work'
    proc = run_tool(['tools/dist_train.sh', config, '2', '--work-dir', str(work),
                     '--cfg-options', f"model.backbone.init_cfg.checkpoint={data['ckpts']['vit']}"],
                    env_extra=dict(PORT=free_port()))
    log = proc.stdout + proc.stderr
    assert 'Distributed training: True' in log and 'GPU number: 2' in log
    assert (work / 'iter_2.pth').is_file()
