# SemanticMIM's ADE20K recipe (Tab. 4, §4.2; BEiT and MaskFeat share it): UperNet, 640x640
# crops (mmseg's ade20k_640x640 pipelines), 160k iterations, batch 16 (2 x 8 GPUs), AdamW
# (0.9, 0.999, eps 1e-8), peak lr 3e-5, 1500 warm-up iterations then linear decay to 0, no
# clip, drop path 0.1, weight decay 0.05, single-scale test (slide, 640 crops, stride 426).
# Tab. 4 lists no layer decay; the official configs_seg use 0.9, which we keep
# (docs/recipes.md). Each SemanticMIM config sets `checkpoint` and its backbone options.
_base_ = ['./upernet_vit-base-p16_8xb2-amp-160k_ade20k-512x512.py']
crop_size = (640, 640)
train_pipeline = [  # mmseg's ade20k_640x640.py
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='RandomResize', scale=(2560, 640), ratio_range=(0.5, 2.0), keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(2560, 640), keep_ratio=True),
    dict(type='LoadAnnotations', reduce_zero_label=True),
    dict(type='PackSegInputs')
]
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(img_size=640),
    test_cfg=dict(mode='slide', crop_size=crop_size, stride=(426, 426)))
optim_wrapper = dict(optimizer=dict(lr=3e-5, eps=1e-8), paramwise_cfg=dict(layer_decay_rate=0.9))
param_scheduler = [
    dict(type='LinearLR', start_factor=1e-6, by_epoch=False, begin=0, end=1500),
    dict(type='PolyLR', eta_min=0.0, power=1.0, begin=1500, end=160000, by_epoch=False),
]
train_dataloader = dict(batch_size=2, dataset=dict(pipeline=train_pipeline))  # x 8 GPUs
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
