# The small CPU configs' schedule on the embedded photos: AdamW lr 1e-3 (batch 16), 2 warm-up
# epochs, cosine to 1e-5 over 20 epochs, grad clip 3.0.
_base_ = ['./adamw_coslr_warmup.py']
max_epochs = 20
warmup_epochs = 2
optim_wrapper = dict(optimizer=dict(lr=1e-3), clip_grad=dict(max_norm=3.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=1e-5,
         by_epoch=True, begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
