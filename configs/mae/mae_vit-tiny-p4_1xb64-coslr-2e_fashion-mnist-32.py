# MAE, small: a 6-layer ViT (width 192) on Fashion-MNIST at 32x32, patch 4 (64 patches),
# mask 0.75, norm_pix; two epochs over the 60k training images on a CPU.
_base_ = [
    '../_base_/models/mae_vit-base-p16.py',
    '../_base_/datasets/fashion_mnist_32.py',
    '../_base_/schedules/adamw_coslr-2e_cpu.py',
    '../_base_/default_runtime.py',
]
model = dict(
    data_preprocessor=dict(mean=[72.94] * 3, std=[90.02] * 3, to_rgb=False),
    backbone=dict(arch='mim-tiny', img_size=32, patch_size=4),
    neck=dict(num_patches=64, patch_size=4, embed_dim=192, decoder_embed_dim=128,
              decoder_depth=2, decoder_num_heads=4),
    head=dict(patch_size=4))

auto_scale_lr = dict(base_batch_size=64)
default_hooks = dict(logger=dict(interval=50))
custom_hooks = [{{_base_.online_probe_hook}},
                dict(type='ReconstructionVisHook', interval=500, num_images=8)]
