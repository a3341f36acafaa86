# i-MAE on CIFAR-10, the paper's recipe (Zhang & Shen, i-MAE, CIFAR pre-training settings):
# MAE's CIFAR-10 recipe (configs/mae/mae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py: ViT-Tiny/2,
# 4-layer ViT-Tiny decoder, 2000 epochs, batch 4096, no augmentation, ordinary pixel targets)
# with i-MAE's parts: pixel mixup with alpha ~ Beta(1, 1), two linear disentangle layers, the
# shared decoder reconstructing both images, and patch-wise distillation from that MAE, frozen
# (i-MAE §3: an MAE of the same encoder, pretrained first with the same recipe; set
# teacher_checkpoint). Full scale: builds everywhere, meant for 8 GPUs.
_base_ = ['../mae/mae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py']
teacher_checkpoint = 'checkpoints/mae_vit-tiny-p2_cifar10.pth'
model = dict(
    type='IMAE',
    mixer=dict(type='PixelMixer', beta=1.0, partner='permutation'),
    branches=('subordinate', 'dominant'),
    distill_head=dict(
        type='FeatureDistillHead', loss_weight=1.0,
        teacher=dict(type='FrozenViTTeacher', checkpoint=teacher_checkpoint)))
