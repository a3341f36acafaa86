# Tab. 3 row 6, "mimic only": the mimic head alone (no pixel decoder), with focused mimicking
# and multi-layer fusion as that row marks them; 200 epochs.
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-200e_in1k.py']
model = dict(backbone=dict(fusion_layers=[5, 8, 11]), neck=None, head=None)
custom_hooks = []
