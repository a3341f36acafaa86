# SemanticMIM's fine-tune recipe (Tab. 3) for MaskFeat as SemanticMIM reproduces it (one [CLS]
# token, no proxies): the MaskFeat row of Tab. 1's FT column (patch-average classifier).
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./vit-base-p16_8xb128-coslr-100e-ft_in1k.py']
model = dict(backbone=dict(num_proxy_tokens=0))
