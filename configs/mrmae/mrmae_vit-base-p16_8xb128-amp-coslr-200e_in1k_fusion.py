# Tab. 3 row 4: focused mimicking and multi-layer fusion (the visible tokens of layers 5, 8 and
# 11, 0-based, summed then normalised, feed the mimic head and the decoder; which layers is our
# choice, docs/recipes.md); 200 epochs. The 400-epoch config of the same model is
# mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k_fusion.py.
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-200e_in1k.py']
model = dict(backbone=dict(fusion_layers=[5, 8, 11]))
