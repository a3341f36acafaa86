# MR-MAE ViT-B/16 with multi-layer fusion (§3.3): the visible tokens of layers 5, 8 and 11
# (0-based) are summed (then normalised) and fed to both the mimic head and the decoder. The
# paper does not say which layers it fuses; ours are the last, last - L/4 and last - L/2
# (docs/recipes.md).
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(backbone=dict(fusion_layers=[5, 8, 11]))
