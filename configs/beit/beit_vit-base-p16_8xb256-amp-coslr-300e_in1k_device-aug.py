# BEiT ViT-B/16 on ImageNet-1K (./beit_vit-base-p16_8xb256-amp-coslr-300e_in1k.py, unchanged),
# with the augmentation on the GPU, for nodes with few CPU cores per GPU (README, "Which data
# pipeline"): the workers read the JPEG bytes and draw mmpretrain's ColorJitter (0.4, 0.4, 0.4),
# flip and RandomResizedCrop box (scale 0.08-1); DeviceAugmentDataPreprocessor decodes the batch
# (nvJPEG), jitters each whole image with Pillow's arithmetic, cuts and resizes every box in one
# roi_align call, flips and normalises (docs/recipes.md gives what differs in the resampling).
_base_ = './beit_vit-base-p16_8xb256-amp-coslr-300e_in1k.py'
train_pipeline = [
    dict(type='CheckedLoadImageFromFile', imdecode_backend='bytes'),
    dict(type='DeferredColorJitter', brightness=0.4, contrast=0.4, saturation=0.4, hue=0.0),
    dict(type='DeferredRandomFlip', prob=0.5),
    dict(type='DeferredRandomResizedCrop', scale=224, crop_ratio_range=(0.08, 1.0)),
    dict(type='PackInputs',
         meta_keys=('img_path', 'device_aug'))
]
train_dataloader = dict(collate_fn=dict(type='pseudo_collate'),
                        dataset=dict(pipeline=train_pipeline))
model = dict(data_preprocessor=dict(type='DeviceAugmentDataPreprocessor'))
