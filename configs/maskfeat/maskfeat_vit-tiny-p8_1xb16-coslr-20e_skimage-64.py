# MaskFeat, small: a 6-layer ViT (width 192) on 64x64 crops of scikit-image's bundled photos,
# patch 8; HOG with 4x4 cells (3 x 9 x 2^2 = 108 features per patch), block-wise mask 0.4.
_base_ = [
    '../_base_/models/maskfeat_vit-base-p16.py',
    '../_base_/datasets/skimage_photos_64.py',
    '../_base_/schedules/adamw_coslr-20e_cpu.py',
    '../_base_/default_runtime.py',
]
model = dict(
    backbone=dict(arch='mim-tiny', img_size=64, patch_size=8),
    masker=dict(mask_ratio=0.4, min_num_patches=4),
    target_generator=dict(patch_size=8, pool=4, gaussian_window=16),
    head=dict(in_channels=192, out_channels=108))

optim_wrapper = dict(optimizer=dict(betas=(0.9, 0.999)))
auto_scale_lr = dict(base_batch_size=16)
default_hooks = dict(checkpoint=dict(interval=5))
