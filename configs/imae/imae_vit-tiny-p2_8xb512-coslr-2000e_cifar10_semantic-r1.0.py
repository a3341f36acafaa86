# Semantics-enhanced i-MAE on CIFAR-10 (paper Tab. 7): a fraction r = 1.0 of the mixture pairs
# of every batch share a class. The batch sampler loads 512 first images + 512 partners per GPU;
# the mixer pairs image i with image i + 512, so each step trains on 512 mixed images per GPU.
_base_ = ['./imae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py']
model = dict(mixer=dict(partner='halves'))
train_dataloader = dict(
    batch_sampler=dict(type='SemanticPairBatchSampler', same_class_ratio=1.0))
