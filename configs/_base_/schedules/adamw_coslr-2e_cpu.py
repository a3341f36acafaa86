# The small CPU configs' schedule on Fashion-MNIST: AdamW lr 1e-3 (batch 64), 200 warm-up
# iterations, cosine to 1e-5 over 2 epochs, grad clip 3.0.
_base_ = ['./adamw_coslr_warmup.py']
max_epochs = 2
optim_wrapper = dict(optimizer=dict(lr=1e-3), clip_grad=dict(max_norm=3.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=False, begin=0, end=200),
    dict(type='CosineAnnealingLR', T_max=max_epochs, eta_min=1e-5, by_epoch=True, begin=0,
         end=max_epochs, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
