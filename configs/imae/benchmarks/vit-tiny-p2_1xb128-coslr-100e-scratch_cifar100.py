# ViT-Tiny/2 trained from scratch on CIFAR-100, the "from scratch" row of i-MAE Tab. 1: the
# fine-tuning recipe (supp. Tab. 3) from random weights (docs/recipes.md, Choices).
_base_ = ['./vit-tiny-p2_1xb128-coslr-100e-ft_cifar100.py']
model = dict(backbone=dict(init_cfg=None))
