# BEiT, small: a 6-layer ViT (width 192) on 64x64 crops of the embedded photos, patch 8, block-
# wise mask 0.4, DALL-E tokens (its 8x down-sampling gives one token per 8x8 patch at 64 px).
# Needs the DALL-E weights on disk (model.target_generator.checkpoint).
_base_ = [
    '../_base_/models/beit_vit-base-p16.py',
    '../_base_/datasets/skimage_photos_64.py',
    '../_base_/schedules/adamw_coslr-20e_cpu.py',
    '../_base_/default_runtime.py',
]
model = dict(
    backbone=dict(arch='mim-tiny', img_size=64, patch_size=8, drop_path_rate=0.0),
    masker=dict(min_num_patches=4),
    head=dict(in_channels=192))
optim_wrapper = dict(optimizer=dict(betas=(0.9, 0.999)), clip_grad=dict(max_norm=3.0))
auto_scale_lr = dict(base_batch_size=16)
