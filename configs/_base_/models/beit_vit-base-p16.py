# BEiT with a ViT-B/16 encoder (Bao et al. 2022) on a plain MIMViT: mask tokens in, the DALL-E
# tokenizer's id of each masked patch out (8192 classes). The tokenizer is mmpretrain's DALL-E
# encoder, read from a LOCAL file (mmpretrain's dalle_encoder.pth; nothing is downloaded).
tokenizer_checkpoint = 'checkpoints/dalle_encoder.pth'
model = dict(
    type='BEiT',
    data_preprocessor=dict(
        type='SelfSupDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(
        type='MIMViT', arch='b', img_size=224, patch_size=16, use_mask_token=True,
        sincos_pos_embed=False, drop_path_rate=0.1, layer_scale_init_value=0.1),
    # BEiT's block-wise masking: 75 of 196 patches (0.4), blocks of at least 16
    masker=dict(type='BlockwiseMasker', mask_ratio=0.4, min_num_patches=16),
    target_generator=dict(type='DALLETokenizer', checkpoint=tokenizer_checkpoint),
    head=dict(type='TokenClassificationHead', in_channels=768, num_tokens=8192),
    init_cfg=[
        dict(type='TruncNormal', std=0.02, layer='Linear'),
        dict(type='TruncNormal', std=0.02, layer='Conv2d'),
        dict(type='Constant', layer='LayerNorm', val=1.0, bias=0.0)
    ])
