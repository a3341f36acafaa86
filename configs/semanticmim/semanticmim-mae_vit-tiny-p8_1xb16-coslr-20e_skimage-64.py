# SemanticMIM on MAE on the embedded photos (64x64 crops, patch 8): the small MAE config with
# 8 [PROXY] tokens, the proxy block in every layer, random masking at 0.6 and a linear pixel
# decoder on the [MASK] branch's outputs. Trains in minutes on a CPU.
_base_ = ['../mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
model = dict(
    backbone=dict(num_proxy_tokens=8),
    masker=dict(mask_ratio=0.6),
    neck=dict(_delete_=True, type='LinearPatchDecoder', in_channels=192, patch_size=8))
