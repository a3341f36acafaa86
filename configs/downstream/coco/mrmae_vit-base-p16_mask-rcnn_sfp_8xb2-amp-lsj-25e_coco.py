# MR-MAE's own COCO recipe (§4.2, Tab. 2: Mask R-CNN, ViTDet's simple feature pyramid, 1024^2,
# lr 2e-4, layer decay 0.8, 25 epochs, batch 16) from MR-MAE ViT-B/16 (400 epochs). The
# toolkit's common protocol for every method is Cascade Mask R-CNN + FPN (the *_cascade-mask-rcnn_*
# configs); this one reproduces the paper's table.
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/mask-rcnn_vit-base-p16_sfp_8xb2-amp-lsj-25e_coco.py']
checkpoint = 'work_dirs/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k/epoch_400.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=checkpoint)))
optim_wrapper = dict(optimizer=dict(lr=2e-4, weight_decay=0.1),  # §4.2; ViTDet's decay
                     paramwise_cfg=dict(layer_decay_rate=0.8))
