# The [CLS] probe (Tab. 5) of
# vit-base-p16_8xb128-linear-coslr-100e_in1k_layer7-cls_baseline.py
# for a BEiT-based checkpoint: BEiT's layer scale in the backbone, so the checkpoint's
# gamma tensors load; otherwise the same protocol.
_base_ = ['./vit-base-p16_8xb128-linear-coslr-100e_in1k_layer7-cls_baseline.py']
model = dict(backbone=dict(layer_scale_init_value=0.1))
