# UperNet on ADE20K from MR-MAE ViT-B/16 (400 epochs; mimic projection and decoder stay behind).
# The pretraining run's last checkpoint by default; another one:
#   python tools/train.py configs/downstream/ade20k/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/upernet_vit-base-p16_8xb2-amp-160k_ade20k-512x512.py']
checkpoint = 'work_dirs/mrmae_vit-base-p16_8xb128-amp-coslr-400e_in1k/epoch_400.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=checkpoint)))
