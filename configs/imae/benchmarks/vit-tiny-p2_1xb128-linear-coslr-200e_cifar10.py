# Linear probe of an i-MAE (or MAE) ViT-Tiny/2 on CIFAR-10, the paper's recipe (supp. Tab. 4 =
# main Tab. 9, §4.2): frozen encoder, [CLS] feature after the final norm, a BatchNorm without
# affine parameters before the linear head (mmpretrain's ClsBatchNormNeck), SGD lr 1e-2 (the
# table's "momentum 0.9, 0.999" read as SGD momentum 0.9), weight decay 0, batch 128, 200
# epochs, no augmentation. MAE's linear protocol where the table is silent: 10 warm-up epochs,
# cosine to 0 (docs/recipes.md).
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./vit-tiny-p2_1xb128-coslr-100e-ft_cifar10.py']
model = dict(
    backbone=dict(drop_path_rate=0.0, out_type='cls_token', final_norm=True, frozen_stages=12),
    neck=dict(type='ClsBatchNormNeck', input_features=192),
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
