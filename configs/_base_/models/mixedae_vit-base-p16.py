# MixedAE (Chen et al., "Mixed Autoencoder for Self-supervised Visual Representation Learning",
# CVPR 2023) on MAE's ViT-B/16 + 8-layer 512-wide decoder, with the pretrainer's defaults written
# out: r = 0.25 (groups of 4 images, 49 patches each), segment embeddings, homologous TopK
# attention with K = 0.25 N in every encoder layer but the first (filled in by the pretrainer),
# unmixing before the decoder, homologous contrastive loss (projector 128, tau 0.25,
# lambda 0.1) on the final-normed features. No random masking.
_base_ = ['./mae_vit-base-p16.py']
model = dict(
    type='MixedAE',
    masker=None,
    mixer=dict(type='PatchMixer', mix_ratio=0.25, mode='compose'),
    backbone=dict(num_segments=4),
    contrastive_head=dict(
        type='HomologousContrastiveHead', in_channels=768, proj_dims=128, loss_weight=0.1,
        loss=dict(type='SupervisedContrastiveLoss', temperature=0.25, positives='separate')),
    contrastive_features='final')
