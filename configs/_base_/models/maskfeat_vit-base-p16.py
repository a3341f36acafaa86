# MaskFeat with a ViT-B/16 encoder: mask tokens in, HOG of masked patches out (Wei et al. 2022).
model = dict(
    type='MaskFeat',
    data_preprocessor=dict(
        type='SelfSupDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(
        type='MIMViT', arch='b', img_size=224, patch_size=16, use_mask_token=True,
        sincos_pos_embed=False, drop_path_rate=0.0),
    masker=dict(type='BlockwiseMasker', mask_ratio=0.4, min_num_patches=16),
    # 3 channels x 9 bins x (16 / 8)^2 cells = 108 features per patch
    target_generator=dict(
        type='PatchHOGGenerator', patch_size=16, nbins=9, pool=8, gaussian_window=16),
    head=dict(
        type='FeaturePredictionHead', in_channels=768, out_channels=108, loss_name='loss_hog',
        loss=dict(type='PixelReconstructionLoss', criterion='L2')))
