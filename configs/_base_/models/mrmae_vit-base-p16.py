# MR-MAE with a ViT-B/16 encoder (Gao et al., "Mimic before Reconstruct: Enhancing Masked
# Autoencoders with Feature Mimicking", §4.1): 25% visible tokens chosen by focused mimicking
# (the CLIP teacher's most salient patches kept visible, the rest random), a mimic head on the
# encoder's visible tokens regressing CLIP ViT-B/16 features (weight 0.5), an 8-block decoder
# reconstructing normalised pixels of the masked patches (weight 0.5).
# The teacher is read from a LOCAL file (nothing is downloaded): see docs/mrmae.md.
teacher_checkpoint = 'checkpoints/clip_vit-base-p16_openai_visual.pth'
model = dict(
    type='MRMAE',
    data_preprocessor=dict(
        type='SelfSupDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    backbone=dict(type='MIMViT', arch='b', img_size=224, patch_size=16),
    masker=dict(type='FocusedMasker', mask_ratio=0.75, focus_ratio=0.5, mode='topk'),
    mimic_head=dict(
        type='MimicHead', in_channels=768, loss_weight=0.5,
        teacher=dict(type='CLIPTeacher', checkpoint=teacher_checkpoint)),
    neck=dict(
        type='MAEPretrainDecoder',
        num_patches=196,
        patch_size=16,
        in_chans=3,
        embed_dim=768,
        decoder_embed_dim=512,
        decoder_depth=8,
        decoder_num_heads=16,
        mlp_ratio=4.),
    head=dict(
        type='PixelReconstructionHead',
        norm_pix=True,
        patch_size=16,
        loss_weight=0.5,
        loss=dict(type='PixelReconstructionLoss', criterion='L2')),
    init_cfg=[
        dict(type='Xavier', layer='Linear', distribution='uniform'),
        dict(type='Constant', layer='LayerNorm', val=1.0, bias=0.0)
    ])
