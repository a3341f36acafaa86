# SemanticMIM on BEiT, ViT-B/16, ImageNet-1K (Yuan et al., "SemanticMIM", §4.1 and Tab. 2):
# 8 [PROXY] tokens and the proxy block in every layer, random masking at 0.6 (78 visible
# [IMG], 118 [MASK] of 196 patches), 300 epochs, and the BEiT recipe of Tab. 2 (batch 2048,
# AdamW (0.9, 0.999), peak lr 1.5e-3, min 1e-5, grad clip 3.0, 10 warm-up, crop (0.08, 1.0)).
_base_ = ['../beit/beit_vit-base-p16_8xb256-amp-coslr-300e_in1k.py']
model = dict(
    backbone=dict(num_proxy_tokens=8),
    masker=dict(_delete_=True, type='RandomMasker', mask_ratio=0.6))
