# MAE on Tiny-ImageNet (200 classes, 64x64) with i-MAE's Tiny-ImageNet recipe: the MAE rows of
# i-MAE Tabs. 1-3 and the frozen teacher of
# configs/imae/imae_vit-small-p8_8xb512-coslr-1000e_tiny-imagenet-64.py. ViT-S encoder (width 384,
# 12 layers, 6 heads), ViT-T decoder (width 192, 3 heads, 4 layers as on CIFAR), 1000 epochs with
# 100 warm-up epochs (§4.2), RandomResizedCrop (the only augmentation supp. Tab. 1 lists: no
# flip), batch 4096, AdamW (0.9, 0.95), base lr 1.5e-4 x batch / 256, mask 0.75, ordinary pixel
# targets (supp. §1: no norm_pix). Patch 8 (64 patches). Data: data/tiny-imagenet-200/train/<wnid>/
# images/*.JPEG read by mmpretrain's CustomDataset (labels from the folder names).
_base_ = [
    '../_base_/models/mae_vit-base-p16.py',
    '../_base_/datasets/image_folder_mim.py',
    '../_base_/schedules/adamw_coslr_warmup.py',
    '../_base_/default_runtime.py',
]
model = dict(
    backbone=dict(arch='deit-small', img_size=64, patch_size=8),
    neck=dict(num_patches=64, patch_size=8, embed_dim=384, decoder_embed_dim=192,
              decoder_depth=4, decoder_num_heads=3),
    head=dict(patch_size=8, norm_pix=False))

train_dataloader = dict(
    batch_size=512,
    dataset=dict(data_root='data/tiny-imagenet-200', data_prefix='train', pipeline=[
        # the tensor pipeline (image_folder_mim.py's), without its flip
        dict(type='CheckedLoadImageFromFile', imdecode_backend='torchvision'),
        dict(type='TensorRandomResizedCrop', scale=64, crop_ratio_range=(0.2, 1.0),
             interpolation='bicubic'),
        dict(type='PackInputs')
    ]))

max_epochs = 1000
warmup_epochs = 100
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=0.0, by_epoch=True,
         begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
optim_wrapper = dict(type='AutoAmpOptimWrapper', loss_scale='dynamic')
