# Linear probe of an MAE-pretrained mim-tiny encoder on the embedded photos (17 classes: which
# photo a crop comes from), with mmpretrain's ImageClassifier. The backbone is frozen and loads
# the pretraining checkpoint's `backbone.*` weights; by default the one `make demo` writes:
#   python tools/train.py THIS [--cfg-options model.backbone.init_cfg.checkpoint=CKPT]
#   python tools/test.py THIS work_dirs/<this>/epoch_10.pth
_base_ = ['../../_base_/default_runtime.py']
checkpoint = 'work_dirs/demo/epoch_20.pth'
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        type='ClsDataPreprocessor',
        num_classes=17,
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(
        type='MIMViT', arch='mim-tiny', img_size=64, patch_size=8, out_type='cls_token',
        frozen_stages=6,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
    head=dict(
        type='LinearClsHead', num_classes=17, in_channels=192,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=dict(type='TruncNormal', layer='Linear', std=0.01)))

train_pipeline = [
    dict(type='LoadImageFromFile', imdecode_backend='pillow'),
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.08, 1.0), backend='pillow'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile', imdecode_backend='pillow'),
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.08, 1.0), backend='pillow'),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=32, num_workers=1, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='SkimagePhotos', crops_per_photo=32, pipeline=train_pipeline))
# held-out crops: another random crop of each photo (the photos themselves are shared)
val_dataloader = dict(
    batch_size=32, num_workers=1, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='SkimagePhotos', crops_per_photo=8, pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0))
param_scheduler = dict(type='CosineAnnealingLR', T_max=10, by_epoch=True, begin=0, end=10)
train_cfg = dict(by_epoch=True, max_epochs=10, val_interval=5)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(checkpoint=dict(interval=5, max_keep_ckpts=1))
