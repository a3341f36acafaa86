# MR-MAE + SemanticMIM proxies, ViT-B/16 on ImageNet-1K: MR-MAE's 400-epoch recipe (focused
# masking by the CLIP teacher, mimic head on the visible tokens, 0.5 / 0.5) with 8 [PROXY] tokens
# and their [MASK] branch in every layer; the branch's tokens at the masked patches are decoded
# to pixels by one linear layer each (SemanticMIM's MAE variant) instead of the 8-block decoder.
# Full scale: 8 GPUs x 128 images.
_base_ = ['../mrmae/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(
    backbone=dict(num_proxy_tokens=8),
    neck=dict(_delete_=True, type='LinearPatchDecoder', in_channels=768, patch_size=16))
