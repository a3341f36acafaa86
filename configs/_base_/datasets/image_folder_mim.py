# Any ImageNet-style folder (root/<class>/<image>), e.g. Tiny-ImageNet, through mmpretrain's
# CustomDataset.
dataset_type = 'CustomDataset'
data_root = 'data/my_images/'
# The tensor pipeline (docs/benchmarks.md, the data pipeline): libjpeg-turbo decode to a uint8
# (3, H, W) tensor (BGR, as mmcv's loaders, for the data preprocessor's to_rgb=True), then
# mmpretrain's RandomResizedCrop boxes cut and resized in one antialiased bicubic call, mmcv's
# RandomFlip draw; uint8 until the data preprocessor normalises on the device.
train_pipeline = [
    dict(type='CheckedLoadImageFromFile', imdecode_backend='torchvision'),
    dict(type='TensorRandomResizedCrop', scale=64, crop_ratio_range=(0.2, 1.0),
         interpolation='bicubic'),
    dict(type='TensorRandomFlip', prob=0.5),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    pin_memory=True,  # page-locked batches: the copy to the GPU overlaps the step
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, pipeline=train_pipeline))
