# SemanticMIM's fine-tune recipe (Tab. 3) for SemanticMIM on BEiT (8 proxies, layer scale as
# pretrained): the "BEiT + Ours" row of Tab. 1's FT column.
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./vit-base-p16_8xb128-coslr-100e-ft_in1k.py']
model = dict(backbone=dict(layer_scale_init_value=0.1))
