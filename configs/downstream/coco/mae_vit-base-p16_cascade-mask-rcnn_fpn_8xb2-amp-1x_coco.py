# Cascade Mask R-CNN on COCO (1x) from MAE ViT-B/16 (800 epochs).
# The pretraining run's last checkpoint by default; another one:
#   python tools/train.py configs/downstream/coco/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/cascade-mask-rcnn_vit-base-p16_fpn_8xb2-amp-1x_coco.py']
checkpoint = 'work_dirs/mae_vit-base-p16_8xb512-amp-coslr-800e_in1k/epoch_800.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=checkpoint)))
