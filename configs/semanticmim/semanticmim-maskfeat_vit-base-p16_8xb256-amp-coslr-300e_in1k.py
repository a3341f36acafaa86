# SemanticMIM on MaskFeat, ViT-B/16, ImageNet-1K (§4.1 and Tab. 2): 8 [PROXY] tokens, the proxy
# block in every layer, random masking at 0.6, 300 epochs, and the MaskFeat recipe (batch 2048,
# AdamW (0.9, 0.999), peak lr 1.6e-3, min 1e-6, grad clip 0.02, 30 warm-up, crop (0.5, 1.0)).
_base_ = ['../maskfeat/maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k.py']
model = dict(
    backbone=dict(num_proxy_tokens=8),
    masker=dict(_delete_=True, type='RandomMasker', mask_ratio=0.6))
