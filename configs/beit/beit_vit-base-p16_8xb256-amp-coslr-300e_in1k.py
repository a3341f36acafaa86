# BEiT ViT-B/16 on ImageNet-1K as reproduced in SemanticMIM's Tab. 2 (and mmpretrain's BEiT v1
# config): batch 2048, AdamW (0.9, 0.999), peak lr 1.5e-3, min lr 1e-5, weight decay 0.05,
# grad clip 3.0, 10 warm-up epochs then cosine, 300 epochs, colour jitter 0.4 (brightness,
# contrast, saturation; BEiT's order: jitter, flip, crop), crop scale (0.08, 1.0), block-wise
# mask 0.4, DALL-E tokenizer. Full scale: 8 GPUs x 256 images.
_base_ = [
    '../_base_/models/beit_vit-base-p16.py',
    '../_base_/datasets/imagenet_bs512_mim.py',
    '../_base_/schedules/adamw_coslr_warmup.py',
    '../_base_/default_runtime.py',
]
train_dataloader = dict(
    batch_size=256,
    dataset=dict(pipeline=[
        # the tensor pipeline (imagenet_bs512_mim.py's) with mmpretrain's ColorJitter draws
        dict(type='CheckedLoadImageFromFile', imdecode_backend='torchvision'),
        dict(type='TensorColorJitter', brightness=0.4, contrast=0.4, saturation=0.4, hue=0.0),
        dict(type='TensorRandomFlip', prob=0.5),
        dict(type='TensorRandomResizedCrop', scale=224, crop_ratio_range=(0.08, 1.0),
             interpolation='bicubic'),
        dict(type='PackInputs')
    ]))
max_epochs = 300
warmup_epochs = 10
optim_wrapper = dict(
    type='AutoAmpOptimWrapper',
    loss_scale='dynamic',
    optimizer=dict(lr=1.5e-3, betas=(0.9, 0.999)),
    clip_grad=dict(max_norm=3.0),
    paramwise_cfg=dict(custom_keys=dict(gamma=dict(decay_mult=0.0))))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=1e-5,
         by_epoch=True, begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=2048)
