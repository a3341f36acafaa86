# MR-MAE's headline ConvViT-B model with the 200-epoch schedule of Tab. 5 (Tab. 5: 200 / 400 /
# 800 epochs), the §4.1 recipe otherwise (80 warm-up epochs: §4.1 gives one warm-up).
_base_ = ['./mrmae_convvit-base-p16_8xb128-amp-coslr-400e_in1k.py']
max_epochs = 200
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=80,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - 80, eta_min=0.0, by_epoch=True,
         begin=80, end=max_epochs, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
