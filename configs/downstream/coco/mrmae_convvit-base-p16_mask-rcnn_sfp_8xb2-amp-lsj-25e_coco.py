# MR-MAE's own COCO recipe (§4.2, Tab. 2) from the MR-MAE ConvViT-B headline model (400 epochs):
# the paper's Mask R-CNN recipe of the ViT-B config. ConvViT gives the stride 4/8/16/32 maps
# itself (conv stages 1-2, the transformer's tokens, their max-pool), so each pyramid level
# reads its own map (scale factors 1) and only the 1x1 + 3x3 projections of ViTDet's pyramid
# remain. The common Cascade Mask R-CNN protocol is the *_cascade-mask-rcnn_* config.
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/mask-rcnn_vit-base-p16_sfp_8xb2-amp-lsj-25e_coco.py']
checkpoint = 'work_dirs/mrmae_convvit-base-p16_8xb128-amp-coslr-400e_in1k/epoch_400.pth'
model = dict(
    backbone=dict(
        _delete_=True, type='mimtoolkit.ConvViT', arch='b', img_size=1024,
        patch_sizes=[4, 2, 2], sincos_pos_embed=False, drop_path_rate=0.1,
        final_norm=False, stage_fusion=False,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
    neck=dict(in_channels=[256, 384, 768, 768], scale_factors=[1.0, 1.0, 1.0, 1.0]))
optim_wrapper = dict(optimizer=dict(lr=2e-4, weight_decay=0.1),  # §4.2; ViTDet's decay
                     paramwise_cfg=dict(layer_decay_rate=0.8))
