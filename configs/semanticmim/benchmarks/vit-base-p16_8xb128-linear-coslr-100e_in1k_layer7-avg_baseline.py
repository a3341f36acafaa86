# SemanticMIM's linear probe (Tab. 5) of a baseline checkpoint without proxies: the average of
# the 7th layer's patch tokens ("Patch" in Tab. 1), then a norm; otherwise the [PROXY] probe's
# protocol.
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./vit-base-p16_8xb128-linear-coslr-100e_in1k_layer7-avg.py']
model = dict(backbone=dict(num_proxy_tokens=0))
