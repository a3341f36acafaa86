# Cascade Mask R-CNN on COCO (1x) from BEiT ViT-B/16 (300 epochs; layer scale as
# pretrained).
# The pretraining run's last checkpoint by default; another one:
#   python tools/train.py configs/downstream/coco/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/cascade-mask-rcnn_vit-base-p16_fpn_8xb2-amp-1x_coco.py']
checkpoint = 'work_dirs/beit_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
model = dict(backbone=dict(layer_scale_init_value=0.1, init_cfg=dict(checkpoint=checkpoint)))
