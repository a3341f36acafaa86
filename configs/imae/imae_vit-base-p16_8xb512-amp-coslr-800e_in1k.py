# i-MAE ViT-B/16 on ImageNet-1K with MAE's recipe (the paper follows MAE on ImageNet): batch
# 4096, AdamW (0.9, 0.95), base lr 1.5e-4 x batch / 256, 40 warm-up epochs, mask 0.75 with
# norm_pix (for classification), 800 epochs. Teacher: an MAE ViT-B/16 of this toolkit, of
# mmpretrain, or the official release (timm names are renamed on load); set teacher_checkpoint.
_base_ = [
    '../_base_/models/imae_vit-base-p16.py',
    '../_base_/datasets/imagenet_bs512_mim.py',
    '../_base_/schedules/adamw_coslr_warmup.py',
    '../_base_/default_runtime.py',
]
teacher_checkpoint = 'checkpoints/mae_vit-base-p16_in1k.pth'
model = dict(distill_head=dict(teacher=dict(checkpoint=teacher_checkpoint)))
optim_wrapper = dict(type='AutoAmpOptimWrapper', loss_scale='dynamic')
custom_hooks = [dict(type='ReconstructionVisHook', interval=5000)]
