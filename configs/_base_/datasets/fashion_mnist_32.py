# Fashion-MNIST (60k train images, 28x28 grey) as 32x32 RGB; labels kept.
# Files from Debian's dataset-fashion-mnist (`make data`), or set data_root.
dataset_type = 'OfflineFashionMNIST'
data_root = '/usr/share/datasets/fashion-mnist'
train_pipeline = [
    dict(type='GrayToRGB'),
    dict(type='RandomResizedCrop', scale=32, crop_ratio_range=(0.5, 1.0), backend='pillow',
         interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackInputs')
]
train_dataloader = dict(
    batch_size=64,
    num_workers=1,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    collate_fn=dict(type='default_collate'),
    dataset=dict(type=dataset_type, data_root=data_root, split='train', pipeline=train_pipeline))

# Online k-NN probe (OnlineProbeHook) of the encoder after every epoch: a 5,000-image bank of
# the training split, 1,000 test images, the linear probe's deterministic pipeline. Configs
# that set their own custom_hooks keep it with `{{_base_.online_probe_hook}}`.
probe_pipeline = [
    dict(type='GrayToRGB'),
    dict(type='Resize', scale=32, backend='pillow', interpolation='bicubic'),
    dict(type='PackInputs')
]
online_probe_hook = dict(
    type='OnlineProbeHook', interval=1, k=20, temperature=0.07,
    train_dataset=dict(type=dataset_type, data_root=data_root, split='train', indices=5000,
                       pipeline=probe_pipeline),
    val_dataset=dict(type=dataset_type, data_root=data_root, split='test', indices=1000,
                     pipeline=probe_pipeline))
custom_hooks = [online_probe_hook]
