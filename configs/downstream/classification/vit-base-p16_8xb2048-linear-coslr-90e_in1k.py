# Linear probe on ImageNet-1K of any ViT-B/16 pretraining checkpoint (MAE's protocol, as
# mmpretrain's mae/benchmarks config: frozen encoder, [CLS] after the final norm, BatchNorm
# neck, LARS lr 6.4, batch 2048 x 8, 90 epochs). Set the backbone options the checkpoint was
# pretrained with, e.g. num_proxy_tokens=8 for SemanticMIM (its [MASK] branch is not built),
# layer_scale_init_value=0.1 for BEiT.
#   python tools/train.py configs/downstream/classification/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['mmpretrain::mae/benchmarks/vit-base-p16_8xb2048-linear-coslr-90e_in1k.py']
default_scope = 'mimtoolkit'
checkpoint = 'work_dirs/mae_vit-base-p16_8xb512-amp-coslr-800e_in1k/epoch_800.pth'
model = dict(
    backbone=dict(
        _delete_=True, type='mimtoolkit.MIMViT', arch='b', img_size=224, patch_size=16,
        proxy_block=None, out_type='cls_token', frozen_stages=12,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')))
# MAE's rate is 6.4 at batch 16384 (0.1 x 16384 / 256); mmpretrain's config leaves the base at
# 1024, so --auto-scale-lr would multiply it by 16.
auto_scale_lr = dict(base_batch_size=16384)
