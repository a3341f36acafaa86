# SemanticMIM on MAE, small: the MAE Fashion-MNIST config (6-layer ViT, 32x32, patch 4, two
# epochs on a CPU) with 8 [PROXY] tokens and the proxy block in every layer (§4.1: random
# masking, ratio 0.6). The [MASK] branch outputs a token at every masked patch, so the pixel
# decoder is one linear layer per token; the loss is MAE's (norm_pix L2 on masked patches).
_base_ = ['../mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
model = dict(
    backbone=dict(num_proxy_tokens=8),
    masker=dict(mask_ratio=0.6),
    neck=dict(_delete_=True, type='LinearPatchDecoder', in_channels=192, patch_size=4))
