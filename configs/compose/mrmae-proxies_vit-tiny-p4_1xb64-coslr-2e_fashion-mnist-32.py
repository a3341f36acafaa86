# MR-MAE + proxies, small, on Fashion-MNIST 32x32: MR-MAE's Fashion-MNIST config (stage 2 of
# the two-stage recipe: the MAE of stage 1 is the teacher) with 8 [PROXY] tokens, their [MASK]
# branch and a linear pixel decoder on it (SemanticMIM's MAE variant).
_base_ = ['../mrmae/mrmae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
model = dict(
    backbone=dict(num_proxy_tokens=8),
    neck=dict(_delete_=True, type='LinearPatchDecoder', in_channels=192, patch_size=4))
