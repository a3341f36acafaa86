# ImageNet-1K as webdataset-style tar shards (tools/dataset_converters/folder_to_shards.py
# data/imagenet/train data/imagenet-shards: ~1 GB shards of the JPEGs with their labels), read
# in place; ShardSampler gives every rank and every data worker its own shards (README,
# "Sharded data"). The pipeline is imagenet_bs512_mim.py's: swap that base for this one.
dataset_type = 'TarShardDataset'
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
    sampler=dict(type='ShardSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, shards='data/imagenet-shards/train-*.tar',
                 classes='data/imagenet-shards/classes.txt',
                 pipeline=train_pipeline))
