# MR-MAE with a small ConvViT (stages [48, 96, 192], depths [1, 1, 4], patch sizes [2, 2, 2]:
# an 8x8 grid at 64 px, the teacher's grid) on the embedded photos, stage 2 after the MAE
# config of the same data (see mrmae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py).
_base_ = ['./mrmae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
model = dict(backbone=dict(_delete_=True, type='ConvViT', arch='mim-tiny', img_size=64,
                           patch_sizes=[2, 2, 2]),
             neck=dict(type='PatchTokenMAEDecoder'))  # no [CLS] row: ConvMAE has none
