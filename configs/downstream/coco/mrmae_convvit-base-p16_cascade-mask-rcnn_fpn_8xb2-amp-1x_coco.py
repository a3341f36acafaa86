# Cascade Mask R-CNN on COCO (1x) from MR-MAE ConvViT-B (400 epochs). ConvViT gives stride
# 4/8/16/32 maps itself (conv stages 1-2, the transformer's tokens, their max-pool), so mmdet's
# FPN reads 256/384/768/768 channels directly (no pyramid neck).
# The pretraining run's last checkpoint by default; another one:
#   python tools/train.py configs/downstream/coco/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/cascade-mask-rcnn_vit-base-p16_fpn_8xb2-amp-1x_coco.py']
checkpoint = 'work_dirs/mrmae_convvit-base-p16_8xb128-amp-coslr-400e_in1k/epoch_400.pth'
model = dict(
    backbone=dict(
        _delete_=True, type='mimtoolkit.ConvViT', arch='b', img_size=1024,
        patch_sizes=[4, 2, 2], sincos_pos_embed=False, drop_path_rate=0.1,
        final_norm=False, stage_fusion=False,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
    neck=dict(_delete_=True, type='FPN', in_channels=[256, 384, 768, 768], out_channels=256,
              num_outs=5))
