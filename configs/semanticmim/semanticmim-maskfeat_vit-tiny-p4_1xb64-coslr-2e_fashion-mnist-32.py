# SemanticMIM on MaskFeat, small: the MaskFeat Fashion-MNIST config (HOG targets, 6-layer ViT,
# 32x32, patch 4, two epochs on a CPU) with 8 [PROXY] tokens, the proxy block in every layer and
# random masking at 0.6 (§4.1). The HOG head reads the [MASK] branch's outputs.
_base_ = ['../maskfeat/maskfeat_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
model = dict(
    backbone=dict(num_proxy_tokens=8),
    masker=dict(_delete_=True, type='RandomMasker', mask_ratio=0.6))
