# Semantics-enhanced i-MAE on CIFAR-100 (supp. Tab. 2; main Tab. 3): a fraction r = 0.25 of the
# mixture pairs of every batch share a class; the CIFAR-100 recipe otherwise (base lr 1.5e-4,
# batch 4096, mask 0.75, Beta(1, 1), no augmentation). The batch sampler loads 512 first
# images + 512 partners per GPU; the mixer pairs image i with image i + 512.
_base_ = ['./imae_vit-tiny-p2_8xb512-coslr-2000e_cifar100.py']
model = dict(mixer=dict(partner='halves'))
train_dataloader = dict(
    batch_sampler=dict(type='SemanticPairBatchSampler', same_class_ratio=0.25))
