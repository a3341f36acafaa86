# MAE ViT-B/16 on ImageNet-1K, the paper's recipe (./mae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py,
# unchanged), with the augmentation on the GPU, for nodes with few CPU cores per GPU
# (docs/benchmarks.md, the data pipeline; README, "Which data pipeline"): the data workers read
# the JPEG bytes and draw mmpretrain's RandomResizedCrop box (scale 0.2-1) and the flip;
# DeviceAugmentDataPreprocessor decodes the batch on the GPU (nvJPEG), cuts and resizes every
# box in one roi_align call (area-averaged, where the CPU pipeline resizes with antialiased
# bicubic), flips and normalises. The same switch works for any config: these three keys.
_base_ = './mae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py'
train_pipeline = [
    dict(type='CheckedLoadImageFromFile', imdecode_backend='bytes'),
    dict(type='DeferredRandomResizedCrop', scale=224, crop_ratio_range=(0.2, 1.0)),
    dict(type='DeferredRandomFlip', prob=0.5),
    dict(type='PackInputs', meta_keys=('img_path', 'device_aug'))
]
train_dataloader = dict(collate_fn=dict(type='pseudo_collate'),
                        dataset=dict(pipeline=train_pipeline))
model = dict(data_preprocessor=dict(type='DeviceAugmentDataPreprocessor'))
