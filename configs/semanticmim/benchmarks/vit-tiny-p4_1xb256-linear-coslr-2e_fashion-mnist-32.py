# Linear probe on Fashion-MNIST of a small SemanticMIM checkpoint (MAE or MaskFeat + 8 proxies):
# the i-MAE/MAE probe (frozen encoder, final-layer [CLS] slot = the mean of the proxies, then
# a norm: the official readout, proxy_readout='mean'; 'first' reads proxy 0; BatchNorm neck,
# SGD, 2 epochs, top-1 on the 10k test images) with the transferred proxy backbone.
# Patch-average features: --cfg-options model.backbone.out_type=avg_featmap
_base_ = ['../../imae/benchmarks/vit-tiny-p4_1xb256-linear-coslr-2e_fashion-mnist-32.py']
checkpoint = 'work_dirs/semanticmim-mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32/epoch_2.pth'
model = dict(backbone=dict(
    num_proxy_tokens=8, proxy_block=None, proxy_readout='mean',
    init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')))
