# MR-MAE with a ConvViT-B encoder (ConvMAE's hybrid: stages [256, 384, 768], depths [2, 2, 11],
# patch sizes [4, 2, 2]), same recipe as the ViT-B/16 config (§4.1). The mask is drawn on the
# 14x14 grid of the transformer stage and upsampled block-wise to the 1/8 and 1/4 conv grids.
# ConvMAE's encoder has no [CLS] token, so the decoder is MAE's without a [CLS] row.
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(backbone=dict(_delete_=True, type='ConvViT', arch='b', img_size=224,
                           patch_sizes=[4, 2, 2]),
             neck=dict(type='PatchTokenMAEDecoder'))
