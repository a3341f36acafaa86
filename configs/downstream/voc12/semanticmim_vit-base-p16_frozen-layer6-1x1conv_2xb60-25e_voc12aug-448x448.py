# SemanticMIM's frozen-feature segmentation probe on PascalVOC (Tab. 6, the protocol of Ziegler &
# Asano 2022) as an mmseg config: the pretrained ViT-B/16 is frozen, the patch tokens of its 6th
# layer (out_indices=[5]) go through one 1x1 convolution to the 21 classes (FCNHead with no
# hidden convs). 448x448 images, 25 epochs, SGD (momentum 0.9, no weight decay), step schedule
# (x0.1 every 10 epochs, the official seg_linear_probing.py), batch 120 = 2 GPUs x 60. Learning
# rate: Tab. 6's 0.01 is the official script's --lr for a reference batch of 60, scaled by
# batch / 60, so 0.02 at 120 (docs/recipes.md). The loss compares logits and labels resized to
# 100x100 (the table's "training resolution"); evaluation at 448x448 (image and labels resized).
# Training crops: RandomResizedCrop(448, scale (0.8, 1)) + flip, as the official script.
# For a baseline checkpoint without proxies: --cfg-options model.backbone.num_proxy_tokens=0
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = [
    'mmseg::_base_/datasets/pascal_voc12_aug.py',
    'mmseg::_base_/default_runtime.py',
]
checkpoint = 'work_dirs/semanticmim-maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
crop_size = (448, 448)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True, pad_val=0, seg_pad_val=255, size=crop_size),
    backbone=dict(
        type='mimtoolkit.MIMViT', arch='b', img_size=448, patch_size=16, num_proxy_tokens=8,
        proxy_block=None, out_indices=[5], out_type='featmap', final_norm=False,
        frozen_stages=12,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
    decode_head=dict(
        type='mimtoolkit.ResizedLossFCNHead', loss_size=(100, 100), in_channels=768,
        channels=768, num_convs=0, concat_input=False, in_index=0, dropout_ratio=0.0,
        num_classes=21, norm_cfg=None, align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0,
                         avg_non_ignore=True)),  # torch's mean over labelled pixels
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='mimtoolkit.SegRandomResizedCrop', size=crop_size, scale=(0.8, 1.0)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='Resize', scale=crop_size, keep_ratio=False),
    dict(type='mimtoolkit.EvaluateAtInputSize'),
    dict(type='PackSegInputs')
]
voc = dict(type='PascalVOCDataset', data_root='data/VOCdevkit/VOC2012', pipeline=train_pipeline)
train_dataloader = dict(  # train + aug: VOC12 "trainaug", as mmseg's voc12aug base
    batch_size=60, sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='ConcatDataset', datasets=[
        dict(voc, data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClass'),
             ann_file='ImageSets/Segmentation/train.txt'),
        dict(voc, data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
             ann_file='ImageSets/Segmentation/aug.txt')]))
val_dataloader = dict(batch_size=5, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
optim_wrapper = dict(type='OptimWrapper',
                     optimizer=dict(type='SGD', lr=0.01 * 120 / 60, momentum=0.9, weight_decay=0.0))
param_scheduler = [dict(type='StepLR', step_size=10, gamma=0.1, by_epoch=True, begin=0, end=25)]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=25, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(  # mmseg's hooks (its iteration schedules hold them), by epoch
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=True, interval=5, max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
auto_scale_lr = dict(base_batch_size=120)
