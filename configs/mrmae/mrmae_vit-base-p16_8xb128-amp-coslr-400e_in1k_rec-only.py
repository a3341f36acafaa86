# Tab. 3 ablation "reconstruction only" (= MAE with MR-MAE's schedule): no teacher, random masks.
_base_ = ['./mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k.py']
model = dict(aux_heads=[], masker=dict(_delete_=True, type='RandomMasker', mask_ratio=0.75),
             head=dict(loss_weight=1.0))
