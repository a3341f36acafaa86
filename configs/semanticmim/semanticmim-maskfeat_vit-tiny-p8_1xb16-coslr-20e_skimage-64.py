# SemanticMIM on MaskFeat on the embedded photos (64x64 crops, patch 8, HOG targets): 8 [PROXY]
# tokens, the proxy block in every layer, random masking at 0.6. Trains in minutes on a CPU.
_base_ = ['../maskfeat/maskfeat_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
model = dict(
    backbone=dict(num_proxy_tokens=8),
    masker=dict(_delete_=True, type='RandomMasker', mask_ratio=0.6))
