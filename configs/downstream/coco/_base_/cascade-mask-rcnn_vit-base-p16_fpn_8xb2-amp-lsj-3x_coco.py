# The 3x / large-scale-jitter variant of the 1x config: 1024x1024 crops of images resized by
# 0.1-2.0 (mmdet's LSJ pipeline, as in its common/lsj-*_coco-instance.py), batches padded to
# 1024, 36 epochs with steps at 27 and 33. Everything else as the 1x config.
_base_ = ['./cascade-mask-rcnn_vit-base-p16_fpn_8xb2-amp-1x_coco.py']
image_size = (1024, 1024)
model = dict(
    data_preprocessor=dict(batch_augments=[
        dict(type='BatchFixedSizePad', size=image_size, pad_mask=True)]),
    train_cfg=dict(rpn=dict(allowed_border=-1)))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='RandomResize', scale=image_size, ratio_range=(0.1, 2.0), keep_ratio=True),
    dict(type='RandomCrop', crop_type='absolute_range', crop_size=image_size,
         recompute_bbox=True, allow_negative_crop=True),
    dict(type='FilterAnnotations', min_gt_bbox_wh=(1e-2, 1e-2)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackDetInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
max_epochs = 36
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.001, by_epoch=False, begin=0, end=500),
    dict(type='MultiStepLR', begin=0, end=max_epochs, by_epoch=True, milestones=[27, 33],
         gamma=0.1),
]
