# MixedAE "HomoCon only" at CPU size on Fashion-MNIST: the homologous contrastive loss alone
# (no unmixing, no decoder, no reconstruction), TopK attention and segment embeddings kept.
_base_ = ['./mixedae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
model = dict(neck=None, head=None)
custom_hooks = [{{_base_.online_probe_hook}}, dict(type='TopKAccuracyHook', interval=50)]
