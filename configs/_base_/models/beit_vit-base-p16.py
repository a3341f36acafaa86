# BEiT with a ViT-B/16 encoder (Bao et al. 2022) on a plain MIMViT: MaskFeat's mask-token
# encoder, with the DALL-E tokenizer's id of each masked patch as the target (8192 classes)
# and BEiT's layer scale 0.1, drop path 0.1 and truncated-normal init; MaskFeat's block-wise
# mask 0.4 (BEiT's: 75 of 196 patches, blocks of at least 16). The tokenizer is
# mmpretrain's DALL-E encoder, read from a LOCAL file (mmpretrain's dalle_encoder.pth).
_base_ = ['./maskfeat_vit-base-p16.py']
tokenizer_checkpoint = 'checkpoints/dalle_encoder.pth'
model = dict(
    type='BEiT',
    backbone=dict(drop_path_rate=0.1, layer_scale_init_value=0.1),
    target_generator=dict(_delete_=True, type='DALLETokenizer', checkpoint=tokenizer_checkpoint),
    head=dict(_delete_=True, type='TokenClassificationHead', in_channels=768, num_tokens=8192),
    init_cfg=[
        dict(type='TruncNormal', std=0.02, layer='Linear'),
        dict(type='TruncNormal', std=0.02, layer='Conv2d'),
        dict(type='Constant', layer='LayerNorm', val=1.0, bias=0.0)
    ])
