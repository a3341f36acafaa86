# SemanticMIM's linear probe (Tab. 5), patch-average features of the 7th layer ("Patch" in
# Tab. 1): the same protocol as the [PROXY] probe; average of the patch tokens, then ln2.
_base_ = ['./vit-base-p16_8xb128-linear-coslr-100e_in1k_layer7-proxy.py']
model = dict(backbone=dict(out_type='avg_featmap'))
