# UperNet on ADE20K from MixedAE ViT-B/16 (800 epochs): dense attention downstream (homologous
# attention has the same weights); segment embeddings are pretraining-only.
# The pretraining run's last checkpoint by default; another one:
#   python tools/train.py configs/downstream/ade20k/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/upernet_vit-base-p16_8xb2-amp-160k_ade20k-512x512.py']
checkpoint = 'work_dirs/mixedae_vit-base-p16_8xb512-amp-coslr-800e_in1k/epoch_800.pth'
model = dict(backbone=dict(init_cfg=dict(checkpoint=checkpoint)))
