# SemanticMIM's linear probe on ImageNet-1K (Tab. 5, §4.1), [CLS]/[PROXY] features of the 7th
# layer (out_indices=[6]) read as the official code does: the mean of the 8 proxies, then a
# norm (proxy_readout='mean'; 'first' reads proxy 0). Tab. 5: AdamW (0.9, 0.999, eps 1e-8),
# peak lr 4e-3 cosine to 0, no warm-up, no clip, batch 1024 (8 x 128), 100 epochs, weight
# decay 1e-4, RandomResizedCrop (0.08, 1) + flip 0.5. As the official
# maskfeat_cls_linear_probing.py: no BatchNorm neck, every head parameter decayed.
# The proxy branch is not built (proxy_block=None): only the transferred backbone loads.
# For a baseline checkpoint without proxies: --cfg-options model.backbone.num_proxy_tokens=0
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['../../mrmae/benchmarks/vit-base-p16_8xb128-coslr-100e-ft_in1k.py']
checkpoint = 'work_dirs/semanticmim-maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
model = dict(
    backbone=dict(
        _delete_=True, type='MIMViT', arch='b', img_size=224, patch_size=16,
        num_proxy_tokens=8, proxy_block=None, proxy_readout='mean', out_indices=[6],
        out_type='cls_token', frozen_stages=12,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
    head=dict(loss=dict(_delete_=True, type='CrossEntropyLoss', loss_weight=1.0),
              init_cfg=[dict(type='TruncNormal', layer='Linear', std=0.02)]),
    train_cfg=dict(_delete_=True))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224, crop_ratio_range=(0.08, 1.0), backend='pillow',
         interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
optim_wrapper = dict(
    _delete_=True, type='AutoAmpOptimWrapper',
    optimizer=dict(type='AdamW', lr=4e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', T_max=100, eta_min=0.0, by_epoch=True, begin=0, end=100,
         convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=100)
