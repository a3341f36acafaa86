# Fine-tune an i-MAE ViT-B/16 on ImageNet-1K, supp. Tab. 3: batch 1024, AdamW (0.9, 0.999),
# lr 1e-3, 25 epochs, Mixup 0.8 and RandomResizedCrop. Where the table is silent, MAE's
# fine-tuning (docs/recipes.md): weight decay 0.05, drop path 0.1, cosine to 1e-6, and a warm-up
# of 5 epochs scaled to the short schedule (1 epoch); global-average-pooled features. No flip:
# the table lists only Mixup and RandomResizedCrop.
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['../../mrmae/benchmarks/vit-base-p16_8xb128-coslr-100e-ft_in1k.py']
checkpoint = 'work_dirs/imae_vit-base-p16_8xb512-amp-coslr-800e_in1k/epoch_800.pth'
model = dict(
    backbone=dict(drop_path_rate=0.1, init_cfg=dict(checkpoint=checkpoint)),
    head=dict(loss=dict(_delete_=True, type='CrossEntropyLoss', loss_weight=1.0,
                        use_soft=True)),
    train_cfg=dict(_delete_=True, augments=[dict(type='Mixup', alpha=0.8)]))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224, backend='pillow', interpolation='bicubic'),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
optim_wrapper = dict(
    _delete_=True, type='AutoAmpOptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.05),
    paramwise_cfg=dict(flat_decay_mult=0.0,
                       custom_keys=dict(pos_embed=dict(decay_mult=0.0),
                                        cls_token=dict(decay_mult=0.0))))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=24, eta_min=1e-6, by_epoch=True, begin=1, end=25,
         convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=25, val_interval=5)
