# SemanticMIM's frozen-feature segmentation probe (Tab. 6) as an mmseg config: the pretrained
# ViT-B/16 is frozen, the patch tokens of its 6th layer (out_indices=[5]) go through a single
# 1x1 convolution (mmseg's FCNHead with no hidden convs) to the 21 PascalVOC classes, upsampled
# to the image. mmseg's own VOC12-aug dataset, 20k-iteration schedule and runtime, batch 4 x 4.
# For a baseline checkpoint without proxies: --cfg-options model.backbone.num_proxy_tokens=0
#   python tools/train.py THIS --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = [
    'mmseg::_base_/datasets/pascal_voc12_aug.py',
    'mmseg::_base_/default_runtime.py',
    'mmseg::_base_/schedules/schedule_20k.py',
]
checkpoint = 'work_dirs/semanticmim-maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
crop_size = (512, 512)
model = dict(
    type='EncoderDecoder',
    data_preprocessor=dict(
        type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True, pad_val=0, seg_pad_val=255, size=crop_size),
    backbone=dict(
        type='mimtoolkit.MIMViT', arch='b', img_size=512, patch_size=16, num_proxy_tokens=8,
        proxy_block=None, out_indices=[5], out_type='featmap', final_norm=False,
        frozen_stages=12,
        init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')),
    decode_head=dict(
        type='FCNHead', in_channels=768, channels=768, num_convs=0, concat_input=False,
        in_index=0, dropout_ratio=0.0, num_classes=21, norm_cfg=None, align_corners=False,
        loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole'))
train_dataloader = dict(batch_size=4)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=0.0))
