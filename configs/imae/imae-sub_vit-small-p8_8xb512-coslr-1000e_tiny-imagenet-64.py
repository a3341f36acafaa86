# i-MAE-sub on tiny-imagenet-64 (i-MAE Tab. 5): one disentangle layer, reconstructing (and distilling)
# the subordinate image only; otherwise the i-MAE recipe of that dataset.
_base_ = ['./imae_vit-small-p8_8xb512-coslr-1000e_tiny-imagenet-64.py']
model = dict(branches=('subordinate', ))
