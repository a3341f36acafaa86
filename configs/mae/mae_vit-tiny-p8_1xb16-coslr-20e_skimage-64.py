# MAE, small: a 6-layer ViT (width 192) on 64x64 crops of scikit-image's bundled photos,
# patch 8 (64 patches), mask 0.75, norm_pix. Trains in minutes on a CPU; `make demo` runs
# it with --amp (bf16 autocast on CPU).
_base_ = [
    '../_base_/models/mae_vit-base-p16.py',
    '../_base_/datasets/skimage_photos_64.py',
    '../_base_/schedules/adamw_coslr-20e_cpu.py',
    '../_base_/default_runtime.py',
]
model = dict(
    backbone=dict(arch='mim-tiny', img_size=64, patch_size=8),
    neck=dict(num_patches=64, patch_size=8, embed_dim=192, decoder_embed_dim=128,
              decoder_depth=2, decoder_num_heads=4),
    head=dict(patch_size=8))

auto_scale_lr = dict(base_batch_size=16)
default_hooks = dict(checkpoint=dict(interval=5))
custom_hooks = [dict(type='ReconstructionVisHook', interval=100, num_images=4)]
