# MixedAE, small, on Fashion-MNIST 32x32: the MAE Fashion-MNIST config's encoder, decoder, data
# and schedule with MixedAE's defaults (r = 0.25: 4 images of 16 patches per mixed sample,
# segment embeddings, TopK attention in layers 1-5, homologous contrast) in full mode (64
# encoder samples per batch of 64).
_base_ = ['../mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
model = dict(type='MixedAE', masker=None, mixer=dict(type='PatchMixer', mode='full'))
custom_hooks = [dict(type='ReconstructionVisHook', interval=500, num_images=8),
                dict(type='TopKAccuracyHook', interval=50)]
