# Fine-tune any mim-tiny/4 pretraining checkpoint (the Fashion-MNIST pretraining configs of
# every method) on Fashion-MNIST at CPU size: the whole encoder trains, global-average-pooled
# features, AdamW lr 1e-3 with layer-wise lr decay 0.75, weight decay 0.05, 5 epochs (1 warm-up).
# The linear probe of the same checkpoints: configs/imae/benchmarks/...linear...fashion-mnist-32.
#   python tools/train.py configs/downstream/classification/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['../../imae/benchmarks/vit-tiny-p4_1xb256-linear-coslr-2e_fashion-mnist-32.py']
checkpoint = 'work_dirs/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32/epoch_2.pth'
model = dict(
    backbone=dict(out_type='avg_featmap', final_norm=False, frozen_stages=-1, drop_path_rate=0.1,
                  proxy_block=None,
                  init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
    neck=None)
optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.05),
    constructor='LearningRateDecayOptimWrapperConstructor',
    paramwise_cfg=dict(layer_decay_rate=0.75, flat_decay_mult=0.0,
                       custom_keys={'.cls_token': dict(decay_mult=0.0),
                                    '.pos_embed': dict(decay_mult=0.0)}))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-3, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', T_max=4, by_epoch=True, begin=1, end=5,
         convert_to_iter_based=True),
]
train_cfg = dict(max_epochs=5)
