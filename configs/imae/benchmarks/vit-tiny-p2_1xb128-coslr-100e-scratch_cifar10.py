# ViT-Tiny/2 trained from scratch on CIFAR-10, the "from scratch" row of i-MAE Tab. 1: the
# paper gives no recipe for it; we use its fine-tuning recipe (supp. Tab. 3) from random
# weights, so that the row differs from the MAE and i-MAE rows by the pretraining only
# (docs/recipes.md, Choices).
_base_ = ['./vit-tiny-p2_1xb128-coslr-100e-ft_cifar10.py']
model = dict(backbone=dict(init_cfg=None))
