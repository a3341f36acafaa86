# Tab. 3 row 1, "reconstruction only" (= MAE with MR-MAE's 200-epoch schedule): no teacher,
# random masks, no fusion.
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-200e_in1k.py']
model = dict(aux_heads=[], masker=dict(_delete_=True, type='RandomMasker', mask_ratio=0.75),
             head=dict(loss_weight=1.0))
