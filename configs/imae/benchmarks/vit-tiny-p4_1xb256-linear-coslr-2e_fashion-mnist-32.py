# Linear probe on Fashion-MNIST (10 classes, 32x32) of any mim-tiny/4 pretraining checkpoint
# (MAE or i-MAE small configs), MAE's linear protocol at CPU size: frozen encoder, [CLS] after
# the final norm, BatchNorm without affine before the linear head, SGD momentum 0.9 (lr 0.1,
# no weight decay, cosine), 2 epochs, tested on the 10k test images.
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['../../_base_/default_runtime.py']
checkpoint = 'work_dirs/imae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32/epoch_2.pth'
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(type='ClsDataPreprocessor', num_classes=10, mean=[72.94] * 3,
                           std=[90.02] * 3, to_rgb=False),
    backbone=dict(
        type='MIMViT', arch='mim-tiny', img_size=32, patch_size=4, out_type='cls_token',
        frozen_stages=6,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
    neck=dict(type='ClsBatchNormNeck', input_features=192),
    head=dict(
        type='LinearClsHead', num_classes=10, in_channels=192,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        init_cfg=dict(type='TruncNormal', layer='Linear', std=0.01)))

data_root = '/usr/share/datasets/fashion-mnist'
train_pipeline = [
    dict(type='GrayToRGB'),
    dict(type='Resize', scale=32, backend='pillow', interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackInputs')
]
test_pipeline = [
    dict(type='GrayToRGB'),
    dict(type='Resize', scale=32, backend='pillow', interpolation='bicubic'),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=256, num_workers=1, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='OfflineFashionMNIST', data_root=data_root, split='train',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=256, num_workers=1, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='OfflineFashionMNIST', data_root=data_root, split='test',
                 pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, ))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0))
param_scheduler = dict(type='CosineAnnealingLR', T_max=2, by_epoch=True, begin=0, end=2,
                       convert_to_iter_based=True)
train_cfg = dict(by_epoch=True, max_epochs=2, val_interval=1)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1), logger=dict(interval=50))
