# Fine-tune an MR-MAE ViT-B/16 on ImageNet-1K, the paper's recipe (§4.1): 100 epochs (5 warm-up),
# batch 1024 and weight decay 0.05 as pre-training, AdamW (0.9, 0.999), initial lr 3e-4 read as
# ConvMAE's base rate (its main_finetune.py takes --blr and uses blr x batch / 256, as for
# pre-training: docs/recipes.md), so 3e-4 x 1024 / 256 = 1.2e-3; layer-wise lr decay 0.6,
# drop path 0.2. Where §4.1 is silent, ConvMAE's fine-tune command (FINETUNE.md): Mixup 0.8,
# CutMix 1.0, random erasing 0.25, label smoothing 0.1, RandAugment (MAE's pipeline);
# global-average-pooled features.
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['../../_base_/default_runtime.py']
checkpoint = 'work_dirs/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k/epoch_400.pth'
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        type='ClsDataPreprocessor', num_classes=1000,
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375], to_rgb=True),
    backbone=dict(
        type='MIMViT', arch='b', img_size=224, patch_size=16, drop_path_rate=0.2,
        out_type='avg_featmap', final_norm=False,
        sincos_pos_embed=False,  # fine-tuned from the loaded values (MAE's fine-tuning)
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
    neck=None,
    head=dict(
        type='LinearClsHead', num_classes=1000, in_channels=768,
        loss=dict(type='LabelSmoothLoss', label_smooth_val=0.1, mode='original'),
        init_cfg=[dict(type='TruncNormal', layer='Linear', std=2e-5)]),
    train_cfg=dict(augments=[dict(type='Mixup', alpha=0.8), dict(type='CutMix', alpha=1.0)]))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224, backend='pillow', interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='RandAugment', policies='timm_increasing', num_policies=2, total_level=10,
         magnitude_level=9, magnitude_std=0.5,
         hparams=dict(pad_val=[104, 116, 124], interpolation='bicubic')),
    dict(type='RandomErasing', erase_prob=0.25, mode='rand', min_area_ratio=0.02,
         max_area_ratio=1 / 3, fill_color=[103.53, 116.28, 123.675],
         fill_std=[57.375, 57.12, 58.395]),
    dict(type='PackInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='ResizeEdge', scale=256, edge='short', backend='pillow', interpolation='bicubic'),
    dict(type='CenterCrop', crop_size=224),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=128, num_workers=8, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='ImageNet', data_root='data/imagenet/', split='train',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=128, num_workers=8, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='ImageNet', data_root='data/imagenet/', split='val',
                 pipeline=test_pipeline))
val_evaluator = dict(type='Accuracy', topk=(1, 5))
test_dataloader = val_dataloader
test_evaluator = val_evaluator

optim_wrapper = dict(
    type='AutoAmpOptimWrapper',
    optimizer=dict(type='AdamW', lr=3e-4 * 1024 / 256, betas=(0.9, 0.999), weight_decay=0.05),
    constructor='LearningRateDecayOptimWrapperConstructor',
    paramwise_cfg=dict(
        layer_decay_rate=0.6,
        flat_decay_mult=0.0,  # every 1-D parameter (norms, biases), as MAE's / ConvMAE's lr_decay
        custom_keys={
            '.cls_token': dict(decay_mult=0.0),
            '.pos_embed': dict(decay_mult=0.0),
            '.proxy_tokens': dict(decay_mult=0.0)
        }))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=5,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=95, eta_min=1e-6, by_epoch=True, begin=5, end=100,
         convert_to_iter_based=True)
]
train_cfg = dict(by_epoch=True, max_epochs=100, val_interval=10)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=2, save_best='auto'))
auto_scale_lr = dict(base_batch_size=1024)
