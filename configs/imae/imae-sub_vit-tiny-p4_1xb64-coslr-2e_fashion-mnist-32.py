# i-MAE-sub (paper Tab. 5): one disentangle layer, reconstruct (and distil) the subordinate only.
_base_ = ['./imae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
model = dict(branches=('subordinate', ))
