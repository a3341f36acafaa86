# SemanticMIM on MAE, ViT-B/16, ImageNet-1K: 8 [PROXY] tokens, the proxy block in every layer,
# random masking at 0.6, 300 epochs (§4.1); the [MASK] branch predicts normalised pixels through
# a linear layer per token. The paper gives no MAE recipe in Tab. 2: MAE's own (AdamW (0.9,
# 0.95), lr 1.5e-4 x batch / 256, weight decay 0.05, 40 warm-up epochs) at batch 2048.
_base_ = ['../mae/mae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py']
model = dict(
    backbone=dict(num_proxy_tokens=8),
    masker=dict(mask_ratio=0.6),
    neck=dict(_delete_=True, type='LinearPatchDecoder', in_channels=768, patch_size=16))
train_dataloader = dict(batch_size=256)
max_epochs = 300
warmup_epochs = 40
optim_wrapper = dict(optimizer=dict(lr=1.5e-4 * 2048 / 256))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=0.0, by_epoch=True,
         begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True)
]
train_cfg = dict(max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=2048)
