# The BEiT baseline as SemanticMIM's paper reproduces it (Tab. 2 recipe, 300 epochs): random
# patch masking at 0.4, no proxies. BEiT's own config (block-wise 0.4) is
# configs/beit/beit_vit-base-p16_8xb256-amp-coslr-300e_in1k.py.
_base_ = ['../beit/beit_vit-base-p16_8xb256-amp-coslr-300e_in1k.py']
model = dict(masker=dict(_delete_=True, type='RandomMasker', mask_ratio=0.4))
