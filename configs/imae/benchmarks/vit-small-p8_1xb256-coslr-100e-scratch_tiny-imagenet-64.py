# ViT-S/8 trained from scratch on Tiny-ImageNet, the "from scratch" row of i-MAE Tab. 1: the
# fine-tuning recipe (supp. Tab. 3) from random weights (docs/recipes.md, Choices).
_base_ = ['./vit-small-p8_1xb256-coslr-100e-ft_tiny-imagenet-64.py']
model = dict(backbone=dict(init_cfg=None))
