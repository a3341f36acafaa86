# Fine-tune any ViT-B/16 pretraining checkpoint on ImageNet-1K with MAE's recipe: 100 epochs
# (5 warm-up), batch 128 x 8, AdamW lr 2e-3 (= 5e-4 x 1024 / 256), weight decay 0.05,
# layer-wise lr decay 0.65, drop path 0.1, Mixup/CutMix, label smoothing, RandAugment,
# global-average-pooled features. The MR-MAE config holds the pipeline; only the rates differ.
#   python tools/train.py configs/downstream/classification/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['../../mrmae/benchmarks/vit-base-p16_8xb128-coslr-100e-ft_in1k.py']
checkpoint = 'work_dirs/mae_vit-base-p16_8xb512-amp-coslr-800e_in1k/epoch_800.pth'
model = dict(
    backbone=dict(drop_path_rate=0.1, proxy_block=None,
                  init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')))
optim_wrapper = dict(optimizer=dict(lr=2e-3), paramwise_cfg=dict(layer_decay_rate=0.65))
