# ImageNet-1K in mmpretrain's folder layout (data/imagenet/train/<class>/*.JPEG).
dataset_type = 'ImageNet'
data_root = 'data/imagenet/'
# The tensor pipeline (docs/benchmarks.md, the data pipeline): libjpeg-turbo decode to a uint8
# (3, H, W) tensor (BGR, as mmcv's loaders, for the data preprocessor's to_rgb=True), then
# mmpretrain's RandomResizedCrop boxes cut and resized in one antialiased bicubic call, mmcv's
# RandomFlip draw; uint8 until the data preprocessor normalises on the device.
train_pipeline = [
    dict(type='CheckedLoadImageFromFile', imdecode_backend='torchvision'),
    dict(type='TensorRandomResizedCrop', scale=224, crop_ratio_range=(0.2, 1.0),
         interpolation='bicubic'),
    dict(type='TensorRandomFlip', prob=0.5),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=512,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,  # page-locked batches: the copy to the GPU overlaps the step
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', pipeline=train_pipeline))
