# CIFAR-10 from the python-version batches in data/cifar10 (mmpretrain's CIFAR10; no download).
dataset_type = 'CIFAR10'
data_root = 'data/cifar10/'
train_pipeline = [
    dict(type='RandomResizedCrop', scale=32, crop_ratio_range=(0.5, 1.0), backend='pillow',
         interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', download=False,
                 pipeline=train_pipeline))
