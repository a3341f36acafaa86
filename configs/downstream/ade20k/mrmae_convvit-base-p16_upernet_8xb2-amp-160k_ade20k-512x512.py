# UperNet on ADE20K from MR-MAE ConvViT-B (400 epochs). ConvViT gives stride 4/8/16/32 maps
# itself, as ConvMAE's own dense backbones do (conv stages 1-2, the transformer's tokens
# without final norm or stage fusion, their max-pool), so there is no
# pyramid neck; UperNet reads 256/384/768/768 channels. Everything else as the ViT configs.
# The pretraining run's last checkpoint by default; another one:
#   python tools/train.py configs/downstream/ade20k/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/upernet_vit-base-p16_8xb2-amp-160k_ade20k-512x512.py']
checkpoint = 'work_dirs/mrmae_convvit-base-p16_8xb128-amp-coslr-400e_in1k/epoch_400.pth'
model = dict(
    backbone=dict(
        _delete_=True, type='mimtoolkit.ConvViT', arch='b', img_size=512,
        patch_sizes=[4, 2, 2], sincos_pos_embed=False, drop_path_rate=0.1,
        final_norm=False, stage_fusion=False,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
    neck=None,
    decode_head=dict(in_channels=[256, 384, 768, 768]),
    auxiliary_head=dict(in_channels=768))
