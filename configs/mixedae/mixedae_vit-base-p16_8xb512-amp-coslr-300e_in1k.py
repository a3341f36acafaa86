# MixedAE ViT-B/16 on ImageNet-1K, the paper's recipe (CVPR 2023, Sec. 4 / supplement): compose
# mode with batch 4096, AdamW betas (0.9, 0.95), weight decay 0.05, base lr 7.5e-5 x batch / 256,
# 40 warm-up epochs then cosine, random resized crop + flip only, norm_pix, 300 epochs (800 and
# 1600 in the sibling configs). Ablations of Tab. 3: k_ratio (3d), model.homologous_layers (3e),
# model.contrastive_features='pre_norm' (3b), contrastive_head.loss.positives='mean' (3c).
_base_ = [
    '../_base_/models/mixedae_vit-base-p16.py',
    '../_base_/datasets/imagenet_bs512_mim.py',
    '../_base_/schedules/adamw_coslr_warmup.py',
    '../_base_/default_runtime.py',
]
max_epochs = 300
optim_wrapper = dict(type='AutoAmpOptimWrapper', loss_scale='dynamic',
                     optimizer=dict(lr=7.5e-5 * 4096 / 256))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=40,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 40, eta_min=0.0, by_epoch=True, begin=40,
         end=max_epochs, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
custom_hooks = [dict(type='TopKAccuracyHook', interval=100)]
