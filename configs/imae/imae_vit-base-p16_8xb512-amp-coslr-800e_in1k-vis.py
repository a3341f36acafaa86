# i-MAE for visual reconstruction (the paper's ImageNet figures): mask 0.5 and plain pixel
# targets (no norm_pix), otherwise the ImageNet recipe.
_base_ = ['./imae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py']
model = dict(masker=dict(mask_ratio=0.5), head=dict(norm_pix=False))
