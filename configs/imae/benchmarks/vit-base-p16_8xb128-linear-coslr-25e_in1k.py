# Linear probe of an i-MAE ViT-B/16 on ImageNet-1K, supp. Tab. 4: batch 1024, SGD lr 1e-2
# (momentum 0.9), 25 epochs, RandomResizedCrop; frozen encoder, [CLS] after the final norm,
# BatchNorm without affine, weight decay 0 (§4.2, MAE's protocol), no warm-up (25 epochs).
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./vit-base-p16_8xb128-coslr-25e-ft_in1k.py']
model = dict(
    backbone=dict(drop_path_rate=0.0, out_type='cls_token', final_norm=True, frozen_stages=12),
    neck=dict(_delete_=True, type='ClsBatchNormNeck', input_features=768),
    head=dict(loss=dict(_delete_=True, type='CrossEntropyLoss', loss_weight=1.0),
              init_cfg=[dict(type='TruncNormal', layer='Linear', std=0.01)]),
    train_cfg=dict(_delete_=True))
optim_wrapper = dict(
    _delete_=True, type='AutoAmpOptimWrapper',
    optimizer=dict(type='SGD', lr=1e-2, momentum=0.9, weight_decay=0.0))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=25, eta_min=0.0, by_epoch=True, begin=0, end=25,
         convert_to_iter_based=True)
]
