# The embedded default data: random 64x64 crops of scikit-image's bundled photos.
dataset_type = 'SkimagePhotos'
train_pipeline = [
    dict(type='CheckedLoadImageFromFile'),  # Pillow: refuses truncated files, quiet about ICC
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.08, 1.0), backend='pillow',
         interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, crops_per_photo=32, pipeline=train_pipeline))
