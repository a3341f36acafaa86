# MAE ViT-B/16 on ImageNet-1K, the paper's recipe (He et al., "Masked Autoencoders Are
# Scalable Vision Learners", CVPR 2022, Tab. 8 / A.1): batch 4096, AdamW betas (0.9, 0.95),
# base lr 1.5e-4 x batch / 256, weight decay 0.05, 40 warm-up epochs then cosine, mask 0.75,
# normalised-pixel targets, 800 epochs (the paper's ablation length; 1600 for its best result).
# Full scale: builds everywhere, meant for 8 GPUs x 512 images.
_base_ = [
    '../_base_/models/mae_vit-base-p16.py',
    '../_base_/datasets/imagenet_bs512_mim.py',
    '../_base_/schedules/adamw_coslr_warmup.py',
    '../_base_/default_runtime.py',
]
optim_wrapper = dict(type='AutoAmpOptimWrapper', loss_scale='dynamic')
custom_hooks = [dict(type='ReconstructionVisHook', interval=5000)]
