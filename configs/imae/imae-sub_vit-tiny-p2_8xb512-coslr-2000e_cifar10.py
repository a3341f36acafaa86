# i-MAE-sub on CIFAR-10 (i-MAE Tab. 5): one disentangle layer, reconstructing (and distilling)
# the subordinate image only; otherwise the CIFAR-10 i-MAE recipe.
_base_ = ['./imae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py']
model = dict(branches=('subordinate', ))
