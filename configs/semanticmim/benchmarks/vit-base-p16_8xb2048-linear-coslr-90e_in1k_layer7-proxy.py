# SemanticMIM's linear probe (Tab. 5) on ImageNet-1K, [CLS]/[PROXY] features of the 7th layer:
# mmpretrain's MAE linear protocol (frozen encoder, BatchNorm neck, LARS lr 6.4, batch 16384,
# 90 epochs), reading the proxies after layer 7 of 12 (out_indices=[6]) as the official code
# does: the mean of the 8 proxies, then a norm (proxy_readout='mean'; 'first' reads proxy 0).
# The proxy branch is not built (proxy_block=None): only the transferred backbone loads.
# For a baseline checkpoint without proxies: --cfg-options model.backbone.num_proxy_tokens=0
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['mmpretrain::mae/benchmarks/vit-base-p16_8xb2048-linear-coslr-90e_in1k.py']
default_scope = 'mimtoolkit'
checkpoint = 'work_dirs/semanticmim-maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
model = dict(
    backbone=dict(
        _delete_=True, type='mimtoolkit.MIMViT', arch='b', img_size=224, patch_size=16,
        num_proxy_tokens=8, proxy_block=None, proxy_readout='mean', out_indices=[6],
        out_type='cls_token',
        frozen_stages=12,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')))
