# MixedAE, small, on the embedded photos at 64x64: the MAE demo's encoder, decoder and schedule
# with MixedAE's defaults: r = 0.25 (4 images of 16 patches per mixed sample; compose mode, so
# 4 encoder samples per batch of 16), segment embeddings, TopK attention in layers 1-5
# (K = 0.25 N), homologous contrast.
_base_ = ['../mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
# The parts the pretrainer would fill in, written out (so --cfg-options can reach them).
model = dict(
    type='MixedAE',
    masker=None,
    mixer=dict(type='PatchMixer', mix_ratio=0.25, mode='compose'),
    contrastive_head=dict(
        type='HomologousContrastiveHead', in_channels=192, proj_dims=128, loss_weight=0.1,
        loss=dict(type='SupervisedContrastiveLoss', temperature=0.25, positives='separate')),
    contrastive_features='final')
custom_hooks = [dict(type='ReconstructionVisHook', interval=100, num_images=4),
                dict(type='TopKAccuracyHook', interval=10)]
