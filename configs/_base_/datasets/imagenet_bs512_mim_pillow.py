# imagenet_bs512_mim.py with the Pillow pipeline the recipes used before the tensor pipeline:
# the same augmentation on numpy HWC arrays, about 2.5x slower per core (docs/benchmarks.md).
# The reference of benchmark_data.py, and a fallback where torchvision's decoder is not at hand.
_base_ = ['./imagenet_bs512_mim.py']
train_pipeline = [
    dict(type='CheckedLoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224, crop_ratio_range=(0.2, 1.0), backend='pillow',
         interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
