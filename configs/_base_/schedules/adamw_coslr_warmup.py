# AdamW + linear warm-up + cosine decay, by epoch (values here are MAE's; configs override them).
# No weight decay on biases, norms and every learned token or embedding table ([CLS], [MASK],
# [PROXY], MixedAE's segment embeddings, a learned position embedding), as MAE exempts its
# tokens; no paper of ours says otherwise (docs/recipes.md).
max_epochs = 800
warmup_epochs = 40
optim_wrapper = dict(
    type='GuardedOptimWrapper',  # stops on a NaN/inf loss (nonfinite_loss='skip' skips the step)
    optimizer=dict(type='AdamW', lr=1.5e-4 * 4096 / 256, betas=(0.9, 0.95), weight_decay=0.05),
    paramwise_cfg=dict(
        bias_decay_mult=0.0,
        norm_decay_mult=0.0,
        custom_keys=dict(
            pos_embed=dict(decay_mult=0.0),
            cls_token=dict(decay_mult=0.0),
            mask_token=dict(decay_mult=0.0),
            proxy_tokens=dict(decay_mult=0.0),
            segment_embed=dict(decay_mult=0.0))))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-4, by_epoch=True, begin=0, end=warmup_epochs,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=max_epochs - warmup_epochs, eta_min=0.0, by_epoch=True,
         begin=warmup_epochs, end=max_epochs, convert_to_iter_based=True)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=max_epochs)
auto_scale_lr = dict(base_batch_size=4096)
