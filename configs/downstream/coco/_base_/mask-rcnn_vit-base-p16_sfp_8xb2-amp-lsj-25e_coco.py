# Mask R-CNN on COCO with ViTDet's simple feature pyramid, MR-MAE's detection recipe (Gao et al.,
# MR-MAE §4.2 "following ViTDet"): 1024x1024 large-scale-jitter crops, 25 epochs, batch 16
# (2 x 8 GPUs); the MR-MAE configs set §4.2's AdamW lr 2e-4, layer decay 0.8 (and ViTDet's
# weight decay 0.1) on the shared layer-decay wrapper. Where §4.2 is silent we take
# ViTDet's recipe (docs/recipes.md): weight decay 0.1, drop path 0.1, 250 warm-up iterations and
# steps at 22 and 24 epochs (ViTDet's 88.9% / 96.3% of the schedule); mmdet's Mask R-CNN heads.
# Each MR-MAE config sets only `checkpoint` and its backbone.
_base_ = [
    'mmdet::_base_/models/mask-rcnn_r50_fpn.py',
    'mmdet::_base_/datasets/coco_instance.py',
    'mmdet::_base_/schedules/schedule_1x.py',
    'mmdet::_base_/default_runtime.py',
    '../../_base_/adamw_vit-layer-decay-0.65.py',
]
custom_imports = dict(imports=['mimtoolkit'], allow_failed_imports=False)
image_size = (1024, 1024)
model = dict(
    data_preprocessor=dict(batch_augments=[
        dict(type='BatchFixedSizePad', size=image_size, pad_mask=True)]),
    backbone=dict(
        _delete_=True,
        type='mimtoolkit.MIMViT',
        arch='b',
        img_size=1024,
        patch_size=16,
        out_indices=[11],
        out_type='featmap',
        sincos_pos_embed=False,
        drop_path_rate=0.1,
        init_cfg=dict(type='Pretrained', checkpoint=None, prefix='backbone.')),
    neck=dict(_delete_=True, type='mimtoolkit.SimpleFeaturePyramid',
              in_channels=[768, 768, 768, 768], out_channels=256,
              scale_factors=[4.0, 2.0, 1.0, 0.5], num_outs=5),
    train_cfg=dict(rpn=dict(allowed_border=-1)),
    # proposals' NMS and RoIAlign in fp32 under --amp (mmcv's kernels have no bf16)
    rpn_head=dict(type='mimtoolkit.FP32ProposalRPNHead'),
    roi_head=dict(bbox_roi_extractor=dict(type='mimtoolkit.FP32SingleRoIExtractor'),
                  mask_roi_extractor=dict(type='mimtoolkit.FP32SingleRoIExtractor')))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='RandomResize', scale=image_size, ratio_range=(0.1, 2.0), keep_ratio=True),
    dict(type='RandomCrop', crop_type='absolute_range', crop_size=image_size,
         recompute_bbox=True, allow_negative_crop=True),
    dict(type='FilterAnnotations', min_gt_bbox_wh=(1e-2, 1e-2)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=image_size, keep_ratio=True),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='PackDetInputs',
         meta_keys=('img_id', 'img_path', 'ori_shape', 'img_shape', 'scale_factor')),
]
train_dataloader = dict(batch_size=2, dataset=dict(pipeline=train_pipeline))  # x 8 GPUs
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
optim_wrapper = {{_base_.vit_layer_decay_optim_wrapper}}  # MR-MAE's rates: the configs
max_epochs = 25
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=250),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[22, 24],
         gamma=0.1),
]
auto_scale_lr = dict(base_batch_size=16)
