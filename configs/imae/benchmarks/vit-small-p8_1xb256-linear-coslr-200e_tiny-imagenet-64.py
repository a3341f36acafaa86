# Linear probe of an i-MAE ViT-S/8 on Tiny-ImageNet, supp. Tab. 4: batch 256, SGD lr 1e-2,
# 200 epochs, RandomResizedCrop; the CIFAR linear recipe otherwise (frozen encoder, [CLS] after
# the final norm, BatchNorm without affine, weight decay 0).
_base_ = ['./vit-small-p8_1xb256-coslr-100e-ft_tiny-imagenet-64.py']
model = dict(
    backbone=dict(drop_path_rate=0.0, out_type='cls_token', final_norm=True, frozen_stages=12),
    neck=dict(type='ClsBatchNormNeck', input_features=384),
    head=dict(loss=dict(_delete_=True, type='CrossEntropyLoss', loss_weight=1.0),
              init_cfg=dict(type='TruncNormal', layer='Linear', std=0.01)),
    train_cfg=dict(_delete_=True))
optim_wrapper = dict(
    _delete_=True, type='AutoAmpOptimWrapper',
    optimizer=dict(type='SGD', lr=1e-2, momentum=0.9, weight_decay=0.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=10,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=190, eta_min=0.0, by_epoch=True, begin=10, end=200,
         convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=200, val_interval=20)
