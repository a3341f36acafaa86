# Cascade Mask R-CNN on COCO (3x, large-scale jitter) from
# MR-MAE ViT-B/16 (400 epochs; the mimic projection
# and the decoder stay behind).
# The pretraining run's last checkpoint by default; another one:
#   python tools/train.py configs/downstream/coco/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/cascade-mask-rcnn_vit-base-p16_fpn_8xb2-amp-lsj-3x_coco.py']
checkpoint = 'work_dirs/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k/epoch_400.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=checkpoint)))
