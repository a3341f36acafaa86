# Fine-tune an i-MAE ViT-S/8 on Tiny-ImageNet (200 classes, 64x64), supp. Tab. 3: batch 256,
# AdamW (0.9, 0.999), lr 1e-3, 100 epochs, Mixup with alpha ~ Beta(1, 1) and RandomResizedCrop
# (mmpretrain's default scale (0.08, 1); the table gives none). The CIFAR recipe otherwise.
# Data: data/tiny-imagenet-200/{train,val}/<wnid>/... (class folders) by CustomDataset.
_base_ = ['./vit-tiny-p2_1xb128-coslr-100e-ft_cifar10.py']
checkpoint = 'work_dirs/imae_vit-small-p8_8xb512-coslr-1000e_tiny-imagenet-64/epoch_1000.pth'
model = dict(
    data_preprocessor=dict(num_classes=200, mean=[123.675, 116.28, 103.53],
                           std=[58.395, 57.12, 57.375], to_rgb=True),
    backbone=dict(arch='deit-small', img_size=64, patch_size=8,
                  init_cfg=dict(checkpoint=checkpoint)),
    head=dict(num_classes=200, in_channels=384))
train_pipeline = [
    dict(type='CheckedLoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=64, backend='pillow', interpolation='bicubic'),
    dict(type='PackInputs')
]
test_pipeline = [dict(type='CheckedLoadImageFromFile'), dict(type='PackInputs')]
train_dataloader = dict(
    batch_size=256,
    dataset=dict(_delete_=True, type='CustomDataset', data_root='data/tiny-imagenet-200',
                 data_prefix='train', pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(_delete_=True, type='CustomDataset', data_root='data/tiny-imagenet-200',
                 data_prefix='val', pipeline=test_pipeline))
test_dataloader = val_dataloader
auto_scale_lr = dict(base_batch_size=256)
