"""The shipped ADE20K UperNet and COCO Cascade Mask R-CNN configs, shrunk to CPU size (model
widths, image sizes, iterations) and pointed at the real-format fixtures of
``mimtoolkit/reproduce/transfer_data.py``; a pretraining checkpoint comes in through
``--cfg-options``."""
import json
import os.path as osp
from typing import List, Tuple

from ..conftest import REPO, run_tool
from .helpers import val_metrics

ARCH = dict(embed_dims=32, num_layers=4, num_heads=2, feedforward_channels=64)
CONV_ARCH = dict(embed_dims=[16, 24, 32], depths=[1, 1, 2], num_heads=2)
KINDS = ('vit', 'vit-proxies', 'convvit')
SEG_CONFIGS = {
    'vit': 'mae_vit-base-p16_upernet_8xb2-amp-160k_ade20k-512x512.py',
    'vit-proxies': 'semanticmim-maskfeat_vit-base-p16_upernet_8xb2-amp-160k_ade20k-640x640.py',
    'convvit': 'mrmae_convvit-base-p16_upernet_8xb2-amp-160k_ade20k-512x512.py',
}
VOC_CONFIG = 'semanticmim_vit-base-p16_frozen-layer6-1x1conv_2xb60-25e_voc12aug-448x448.py'
DET_CONFIGS = {
    'vit': 'mae_vit-base-p16_cascade-mask-rcnn_fpn_8xb2-amp-1x_coco.py',
    'vit-proxies': 'semanticmim-maskfeat_vit-base-p16_cascade-mask-rcnn_fpn_8xb2-amp-1x_coco.py',
    'convvit': 'mrmae_convvit-base-p16_cascade-mask-rcnn_fpn_8xb2-amp-1x_coco.py',
}


def tiny_backbone(kind: str, arch: dict, num_proxy_tokens: int) -> Tuple[dict, List[int]]:
    """Overrides of the shipped config's backbone for ``kind``, and its 4 output widths.

    ViT kinds take ``arch`` (64 px, patch 8, the last 4 layers out); ConvViT is CONV_ARCH.
    """
    if kind == 'convvit':
        return dict(_delete_=True, type='mimtoolkit.ConvViT', arch=CONV_ARCH, img_size=64,
                    sincos_pos_embed=False, final_norm=False, stage_fusion=False,
                    init_cfg=dict(type='Pretrained', prefix='backbone.')), [16, 24, 32, 32]
    layers = arch['num_layers']
    backbone = dict(arch=dict(_delete_=True, **arch), img_size=64, patch_size=8,
                    out_indices=list(range(layers - 4, layers)))
    if kind == 'vit-proxies':
        backbone.update(num_proxy_tokens=num_proxy_tokens, proxy_block=None)
    return backbone, [arch['embed_dims']] * 4


def seg_config(tmp, kind: str, ade_root: str, arch: dict = ARCH,
               num_proxy_tokens: int = 4) -> str:
    """The shipped UperNet config of ``kind``, shrunk (backbone: see ``tiny_backbone``)."""
    backbone, channels = tiny_backbone(kind, arch, num_proxy_tokens)
    text = f"""_base_ = [{osp.join(REPO, 'configs/downstream/ade20k', SEG_CONFIGS[kind])!r}]
crop_size = (64, 64)
bn = dict(type='BN', requires_grad=True)
model = dict(
    backbone={backbone!r},
    data_preprocessor=dict(size=crop_size),
    decode_head=dict(in_channels={channels}, channels=16, pool_scales=(1, 2), norm_cfg=bn),
    auxiliary_head=dict(in_channels={channels[2]}, channels=16, norm_cfg=bn),
    test_cfg=dict(mode='slide', crop_size=crop_size, stride=(43, 43)))
if {kind != 'convvit'}:
    model['neck'] = dict(embed_dim={channels[0]}, rescales=[2, 1, 0.5, 0.25], norm_cfg=bn)
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


#: MR-MAE's own COCO recipe (Mask R-CNN, ViTDet's simple feature pyramid), per kind.
def det_config(tmp, kind: str, coco_root: str, arch: dict = ARCH,
               num_proxy_tokens: int = 4) -> str:
    """The shipped Cascade Mask R-CNN config of ``kind``, shrunk (see ``tiny_backbone``).
    (MR-MAE's Mask R-CNN + simple feature pyramid configs run, shrunk, in
    ``tools/reproduce.py mrmae-tab3 --smoke``: tests/e2e/test_reproduce.py.)"""
    backbone, channels = tiny_backbone(kind, arch, num_proxy_tokens)
    fpn = dict(type='FPN', in_channels=channels, out_channels=256, num_outs=5)
    if kind == 'convvit':
        neck = dict(_delete_=True, **fpn)
    else:
        neck = [dict(type='mimtoolkit.ViTPyramidNeck', embed_dim=channels[0],
                     rescales=[2, 1, 0.5, 0.25], norm_cfg=dict(type='BN')), fpn]
    text = f"""_base_ = [{osp.join(REPO, 'configs/downstream/coco', DET_CONFIGS[kind])!r}]
model = dict(
    backbone={backbone!r},
    neck={neck!r},
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
# the shipped AutoAmpOptimWrapper, in bf16 as --amp picks on A100/H100 (RoIAlign in fp32)
optim_wrapper = dict(dtype='bfloat16')
"""
    path = osp.join(tmp, f'cascade_{kind}.py')
    with open(path, 'w') as f:
        f.write(text)
    return path


def voc_config(tmp, voc_root: str, arch: dict = ARCH, num_proxy_tokens: int = 4) -> str:
    """The shipped SemanticMIM VOC probe, shrunk: 64 px crops, the loss at 8 x 8, eval at 64.

    The pipelines are the shipped ones with every 448 x 448 size made 64 x 64.
    """
    from mmengine.config import Config
    backbone, channels = tiny_backbone('vit-proxies', arch, num_proxy_tokens)
    backbone.update(out_indices=[1], frozen_stages=arch['num_layers'])
    shipped = osp.join(REPO, 'configs/downstream/voc12', VOC_CONFIG)
    cfg = Config.fromfile(shipped)

    def shrunk(pipeline):
        return [{k: ((64, 64) if v == (448, 448) else v) for k, v in t.items()} for t in pipeline]

    datasets = [dict(d, data_root=voc_root, pipeline=shrunk(d.pipeline))
                for d in cfg.train_dataloader.dataset.datasets]
    test_pipeline = shrunk(cfg.val_dataloader.dataset.pipeline)
    text = f"""_base_ = [{shipped!r}]
model = dict(
    backbone={backbone!r},
    data_preprocessor=dict(size=(64, 64)),
    decode_head=dict(in_channels={channels[0]}, channels={channels[0]}, loss_size=(8, 8)))
loader = dict(num_workers=0, persistent_workers=False)
train_dataloader = dict(batch_size=2, **loader, dataset=dict(datasets={datasets!r}))
val_dataloader = dict(batch_size=1, **loader, dataset=dict(
    data_root={voc_root!r}, pipeline={test_pipeline!r}))
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=1, val_interval=100)
default_hooks = dict(logger=dict(interval=1))
"""
    path = osp.join(tmp, 'voc_probe.py')
    with open(path, 'w') as f:
        f.write(text)
    return path


def train_downstream(config: str, ckpt: str, work_dir: str, *flags: str,
                     env_extra=None) -> Tuple[str, dict]:
    """tools/train.py from a pretraining checkpoint; it validates after its last iteration or
    epoch (mmengine's loops always do). ``flags`` (e.g. ``--amp``) and ``env_extra`` (e.g.
    the GPU lane's ``CUDA_TOOL_ENV``) go to the run.

    Returns:
        tuple[str, dict]: The train log, and the metrics of that validation.
    """
    train = run_tool(['tools/train.py', config, '--work-dir', work_dir, *flags,
                      '--cfg-options', f'model.backbone.init_cfg.checkpoint={ckpt}'],
                     env_extra=env_extra)
    return train.stdout + train.stderr, val_metrics(work_dir)


def evaluate_downstream(config: str, ckpt: str, work_dir: str, trained: str) -> dict:
    """tools/test.py on the weights ``train_downstream`` saved as ``trained``; its metrics."""
    out = osp.join(work_dir, 'metrics.json')
    run_tool(['tools/test.py', config, osp.join(work_dir, trained), '--work-dir', work_dir,
              '--out', out, '--cfg-options', f'model.backbone.init_cfg.checkpoint={ckpt}'])
    with open(out) as f:
        return json.load(f)


def check_backbone_log(log: str, kind: str) -> None:
    """The checkpoint loaded with nothing missing, and what was left out is named."""
    assert 'missing: none' in log
    if kind == 'vit-proxies':  # MaskFeat's mask token and SemanticMIM's [MASK] branch
        assert 'Left out on purpose' in log and 'mask_layers.* (' in log and 'mask_token' in log
    if kind == 'convvit':  # ConvMAE's dense backbones: no final norm, no stage fusion
        assert 'Left out on purpose' in log and 'ln1.* (' in log and 'patch_embed.* (' in log
