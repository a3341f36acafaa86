# SemanticMIM's linear probe on ImageNet-1K (Tab. 5, §4.1), [CLS]/[PROXY] features of the 7th
# layer (out_indices=[6]) read as the official code does: the mean of the 8 proxies, then a
# norm (proxy_readout='mean'; 'first' reads proxy 0). Tab. 5: AdamW (0.9, 0.999, eps 1e-8),
# peak lr 4e-3 cosine to 0, no warm-up, no clip, batch 1024 (8 x 128), 100 epochs, weight
# decay 1e-4, RandomResizedCrop (0.08, 1) + flip 0.5. As the official
# maskfeat_cls_linear_probing.py: no BatchNorm neck, every head parameter decayed.
# The proxy branch is not built (proxy_block=None): only the transferred backbone loads.
# For a baseline checkpoint without proxies: --cfg-options model.backbone.num_proxy_tokens=0
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
# Tab. 5 is Tab. 3's optimiser, schedule and crops on the frozen encoder:
_base_ = ['./vit-base-p16_8xb128-coslr-100e-ft_in1k.py']
model = dict(
    backbone=dict(
        _delete_=True, type='MIMViT', arch='b', img_size=224, patch_size=16,
        num_proxy_tokens=8, proxy_block=None, proxy_readout='mean', out_indices=[6],
        out_type='cls_token', frozen_stages=12,
        init_cfg=dict(type='Pretrained', checkpoint={{_base_.checkpoint}}, prefix='backbone.')),
    head=dict(init_cfg=[dict(type='TruncNormal', layer='Linear', std=0.02)]))
optim_wrapper = dict(paramwise_cfg=dict(_delete_=True))
