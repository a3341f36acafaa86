# The `make demo` run: the MAE CPU config (6-layer ViT, width 192, 64x64 crops, patch 8, mask
# 0.75) with pixel targets instead of norm_pix (MAE Table 1c's "pixel (w/o norm)"), so the
# figures show the model's own pixels, and three photos held out of training (chelsea, coffee,
# rocket) for the masked-patch comparison with the no-hidden-pixel baselines
# (tools/analysis_tools/reconstruction_baselines.py reads `heldout_dataset`).
_base_ = ['./mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
held_out_photos = ('chelsea.png', 'coffee.png', 'rocket.jpg')
train_photos = ('astronaut.png', 'brick.png', 'camera.png', 'cell.png', 'coins.png', 'grass.png',
                'gravel.png', 'hubble_deep_field.jpg', 'ihc.png', 'moon.png',
                'motorcycle_left.png', 'page.png', 'retina.jpg', 'text.png')
# crops of 20-100% of a photo, as MAE's own recipe (the base CPU config takes 8-100%)
train_pipeline = [
    dict(type='CheckedLoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.2, 1.0), backend='pillow',
         interpolation='bicubic'),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PackInputs')
]
model = dict(head=dict(norm_pix=False))
train_dataloader = dict(dataset=dict(photos=train_photos, crops_per_photo=40,
                                     pipeline=train_pipeline))
heldout_dataset = dict(type='SkimagePhotos', photos=held_out_photos, crops_per_photo=8,
                       pipeline=train_pipeline)
custom_hooks = [dict(type='ReconstructionVisHook', interval=175, num_images=4)]
