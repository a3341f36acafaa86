# MAE on CIFAR-10 with i-MAE's CIFAR recipe: the MAE rows of i-MAE Tabs. 1-3 and the frozen
# teacher that configs/imae/imae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py distils from (i-MAE §3:
# a frozen MAE encoder of the student's architecture). ViT-Tiny encoder (width 192, 12 layers,
# 3 heads), 4-layer ViT-Tiny decoder (width 192, 3 heads), 2000 epochs with 200 warm-up epochs
# (§4.2), batch 4096, AdamW betas (0.9, 0.95), base lr 1.5e-4 (x batch / 256, MAE's rule),
# weight decay 0.05, mask 0.75, no augmentation (supp. Tab. 1), and ordinary pixel targets
# (supp. §1: "In CIFAR-10/100, and Tiny-ImageNet, reconstruct ordinary pixels": no norm_pix).
# Patch 2 on 32x32 (256 patches), as in the MAE-on-CIFAR implementation this recipe comes from
# (2000/200 epochs, ViT-Tiny). Full scale: builds everywhere, meant for 8 GPUs.
_base_ = [
    '../_base_/models/mae_vit-base-p16.py',
    '../_base_/datasets/cifar10_mim.py',
    '../_base_/schedules/adamw_coslr_warmup.py',
    '../_base_/default_runtime.py',
]
model = dict(
    data_preprocessor=dict(mean=[125.307, 122.961, 113.8575], std=[51.5865, 50.847, 51.255]),
    backbone=dict(arch='deit-tiny', img_size=32, patch_size=2),
    neck=dict(num_patches=256, patch_size=2, embed_dim=192, decoder_embed_dim=192,
              decoder_depth=4, decoder_num_heads=3),
    head=dict(patch_size=2, norm_pix=False))

train_dataloader = dict(batch_size=512, dataset=dict(pipeline=[dict(type='PackInputs')]))

max_epochs = 2000
warmup_epochs = 200
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=0.0, by_epoch=True,
         begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
optim_wrapper = dict(type='AutoAmpOptimWrapper', loss_scale='dynamic')
default_hooks = dict(checkpoint=dict(interval=100, max_keep_ckpts=3))
