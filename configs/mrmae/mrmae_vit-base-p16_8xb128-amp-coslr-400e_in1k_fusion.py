# MR-MAE ViT-B/16 with multi-layer fusion: the visible tokens of layers 5, 8 and 11 (0-based)
# are summed (then normalised) and fed to both the mimic head and the decoder. Which layers the
# paper fuses is not stated in the text we follow; these indices are ours (a config list).
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(backbone=dict(fusion_layers=[5, 8, 11]))
