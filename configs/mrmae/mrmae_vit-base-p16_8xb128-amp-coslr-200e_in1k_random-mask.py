# Tab. 3 row 2, "mimic before reconstruct" without its tricks: the reconstruction loss and the
# mimic head on the visible tokens (weights 0.5 / 0.5), but random masks (no focused mimicking)
# and no multi-layer fusion; 200 epochs.
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-200e_in1k.py']
model = dict(masker=dict(_delete_=True, type='RandomMasker', mask_ratio=0.75))
