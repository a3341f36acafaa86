# Semantics-enhanced i-MAE on Fashion-MNIST: half of the mixture pairs of every batch share a
# class (r = 0.5). The batch sampler loads 64 first images + 64 partners per step; the mixer
# pairs image i with image i + 64, so each step still trains on 64 mixed images.
_base_ = ['./imae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
model = dict(mixer=dict(type='PixelMixer', partner='halves'))
train_dataloader = dict(
    batch_sampler=dict(type='SemanticPairBatchSampler', same_class_ratio=0.5))
