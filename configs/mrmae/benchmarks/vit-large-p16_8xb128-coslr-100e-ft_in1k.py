# Fine-tune an MR-MAE ViT-L/16 on ImageNet-1K for Tab. 6 (fine-tuning accuracy at every
# model scale). Tab. 6 gives the scale and the pre-training epochs only; the recipe is §4.1's
# ViT-B one (vit-base-p16_8xb128-coslr-100e-ft_in1k.py) with this encoder, as for its
# pretraining config (docs/recipes.md, Choices).
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./vit-base-p16_8xb128-coslr-100e-ft_in1k.py']
checkpoint = 'work_dirs/mrmae_vit-large-p16_8xb128-amp-coslr-200e_in1k/epoch_200.pth'
model = dict(
    backbone=dict(arch='l', init_cfg=dict(checkpoint=checkpoint)),
    head=dict(in_channels=1024))
