# MaskFeat ViT-B/16 on ImageNet-1K (Wei et al., "Masked Feature Prediction for Self-Supervised
# Visual Pre-Training", CVPR 2022), as reproduced by mmpretrain and SemanticMIM (Tab. 2):
# batch 2048, AdamW betas (0.9, 0.999), peak lr 1.6e-3 (2e-4 x 8), min lr 1e-6, weight decay
# 0.05, grad clip 0.02, 30 warm-up epochs then cosine, 300 epochs; block-wise mask 0.4
# (78 of 196 patches, min block 15), HOG target (9 bins, 8x8 cells, Gaussian window 16),
# crop scale (0.5, 1.0). Full scale: builds everywhere, meant for 8 GPUs x 256 images.
_base_ = [
    '../_base_/models/maskfeat_vit-base-p16.py',
    '../_base_/datasets/imagenet_bs512_mim.py',
    '../_base_/schedules/adamw_coslr_warmup.py',
    '../_base_/default_runtime.py',
]
model = dict(masker=dict(mask_ratio=0.4, min_num_patches=15))
train_dataloader = dict(
    batch_size=256,
    dataset=dict(pipeline=[
        # the tensor pipeline (imagenet_bs512_mim.py's) at MaskFeat's crop scale
        dict(type='CheckedLoadImageFromFile', imdecode_backend='torchvision'),
        dict(type='TensorRandomResizedCrop', scale=224, crop_ratio_range=(0.5, 1.0),
             interpolation='bicubic'),
        dict(type='TensorRandomFlip', prob=0.5),
        dict(type='PackInputs')
    ]))
max_epochs = 300
warmup_epochs = 30
optim_wrapper = dict(
    type='AutoAmpOptimWrapper',
    loss_scale='dynamic',
    optimizer=dict(lr=2e-4 * 8, betas=(0.9, 0.999)),
    clip_grad=dict(max_norm=0.02))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-6, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=1e-6,
         by_epoch=True, begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=2048)
