# MixedAE, small, on Fashion-MNIST 32x32: the MAE Fashion-MNIST config's encoder, decoder, data
# and schedule with MixedAE's defaults (r = 0.25: 4 images of 16 patches per mixed sample,
# segment embeddings, TopK attention in layers 1-5, homologous contrast) in full mode (64
# encoder samples per batch of 64).
_base_ = ['../mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
# The parts the pretrainer would fill in, written out (so --cfg-options can reach them).
model = dict(
    type='MixedAE',
    masker=None,
    mixer=dict(type='PatchMixer', mix_ratio=0.25, mode='full'),
    contrastive_head=dict(
        type='HomologousContrastiveHead', in_channels=192, proj_dims=128, loss_weight=0.1,
        loss=dict(type='SupervisedContrastiveLoss', temperature=0.25, positives='separate')),
    contrastive_features='final')
custom_hooks = [{{_base_.online_probe_hook}},
                dict(type='ReconstructionVisHook', interval=500, num_images=8),
                dict(type='TopKAccuracyHook', interval=50)]
