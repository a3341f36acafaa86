# Tab. 3 ablation "mimic only": the mimic head alone, no pixel decoder.
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(neck=None, head=None)
custom_hooks = []
