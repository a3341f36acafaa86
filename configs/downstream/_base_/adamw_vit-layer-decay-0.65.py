# AdamW (lr 1e-4, betas 0.9/0.999, wd 0.05) with layer-wise lr decay 0.65 for a mimtoolkit
# backbone inside an mmseg / mmdet model, as the BEiT/MAE transfer recipes; biases, norms,
# position embedding, [CLS] and proxies without weight decay. AMP on GPUs (bf16 autocast on a
# CPU). Downstream bases take it as `optim_wrapper = {{_base_.vit_layer_decay_optim_wrapper}}`
# (a separate name: the libraries' schedule bases define optim_wrapper themselves).
vit_layer_decay_optim_wrapper = dict(
    _delete_=True,
    type='mimtoolkit.AutoAmpOptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-4, betas=(0.9, 0.999), weight_decay=0.05),
    constructor='mimtoolkit.BackboneLayerDecayOptimWrapperConstructor',
    paramwise_cfg=dict(
        layer_decay_rate=0.65,
        flat_decay_mult=0.0,
        custom_keys={
            '.pos_embed': dict(decay_mult=0.0),
            '.cls_token': dict(decay_mult=0.0),
            '.proxy_tokens': dict(decay_mult=0.0),
        }))
