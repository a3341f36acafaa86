# SemanticMIM's frozen linear segmentation probe on PascalVOC (Tab. 6) of MaskFeat as SemanticMIM
# reproduces it (one [CLS] token, no proxies): the MaskFeat row of Tab. 1's PascalVOC column.
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./semanticmim_vit-base-p16_frozen-layer6-1x1conv_2xb60-25e_voc12aug-448x448.py']
checkpoint = 'work_dirs/baseline-maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
model = dict(backbone=dict(num_proxy_tokens=0, init_cfg=dict(checkpoint=checkpoint)))
