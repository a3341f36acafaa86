# MaskFeat, small: a 6-layer ViT (width 192) on Fashion-MNIST at 32x32, patch 4; HOG with 4x4
# cells (3 x 9 x 1 = 27 features per patch), block-wise mask 0.4; two epochs on a CPU.
_base_ = [
    '../_base_/models/maskfeat_vit-base-p16.py',
    '../_base_/datasets/fashion_mnist_32.py',
    '../_base_/schedules/adamw_coslr-2e_cpu.py',
    '../_base_/default_runtime.py',
]
model = dict(
    data_preprocessor=dict(mean=[72.94] * 3, std=[90.02] * 3, to_rgb=False),
    backbone=dict(arch='mim-tiny', img_size=32, patch_size=4),
    masker=dict(mask_ratio=0.4, min_num_patches=4),
    target_generator=dict(patch_size=4, pool=4, gaussian_window=16),
    head=dict(in_channels=192, out_channels=27))

optim_wrapper = dict(optimizer=dict(betas=(0.9, 0.999)))
auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(logger=dict(interval=50))
