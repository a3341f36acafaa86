# MR-MAE's headline model (Tab. 1, 85.8; Tab. 3 last row): reconstruction + mimic + focused
# mimicking + multi-layer fusion + masked convolution stages, i.e. the ViT-B/16 recipe (§4.1)
# with ConvMAE's ConvViT-B encoder (stages [256, 384, 768], depths [2, 2, 11], patch sizes
# [4, 2, 2]). The mask is drawn on the 14x14 grid of the transformer stage and upsampled
# block-wise to the 1/8 and 1/4 conv grids. ConvMAE's encoder has no [CLS] token, so the
# decoder is MAE's without a [CLS] row. Fusion: transformer layers 4, 7 and 10 of 11 (0-based;
# last, last - L/4, last - L/2 as for ViT-B; the paper names none).
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(backbone=dict(_delete_=True, type='ConvViT', arch='b', img_size=224,
                           patch_sizes=[4, 2, 2], fusion_layers=[4, 7, 10]),
             neck=dict(type='PatchTokenMAEDecoder'))
