# Semantics-enhanced i-MAE on Tiny-ImageNet (supp. Tab. 2; main Tab. 3): a fraction r = 1.0 of
# the mixture pairs of every batch share a class, base lr 3.5e-4 (x batch / 256: supp. Tab. 2
# raises it from the plain recipe's 1.5e-4), batch 4096, mask 0.75, Beta(1, 1),
# RandomResizedCrop. The batch sampler loads 512 first images + 512 partners per GPU.
_base_ = ['./imae_vit-small-p8_8xb512-coslr-1000e_tiny-imagenet-64.py']
model = dict(mixer=dict(partner='halves'))
train_dataloader = dict(
    batch_sampler=dict(type='SemanticPairBatchSampler', same_class_ratio=1.0))
optim_wrapper = dict(optimizer=dict(lr=3.5e-4 * 4096 / 256))
