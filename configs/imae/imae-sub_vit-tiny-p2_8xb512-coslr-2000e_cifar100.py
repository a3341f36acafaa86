# i-MAE-sub on cifar100 (i-MAE Tab. 5): one disentangle layer, reconstructing (and distilling)
# the subordinate image only; otherwise the i-MAE recipe of that dataset.
_base_ = ['./imae_vit-tiny-p2_8xb512-coslr-2000e_cifar100.py']
model = dict(branches=('subordinate', ))
