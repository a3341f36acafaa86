# i-MAE on Tiny-ImageNet, the paper's recipe: MAE's Tiny-ImageNet recipe
# (configs/mae/mae_vit-small-p8_8xb512-coslr-1000e_tiny-imagenet-64.py: ViT-S/8 encoder, 4-layer
# ViT-T decoder, 1000 epochs, batch 4096, RandomResizedCrop, ordinary pixel targets) with
# i-MAE's parts: pixel mixup with alpha ~ Beta(1, 1), two linear disentangle layers, the shared
# decoder reconstructing both images, and patch-wise distillation from that MAE, frozen (set
# teacher_checkpoint).
_base_ = ['../mae/mae_vit-small-p8_8xb512-coslr-1000e_tiny-imagenet-64.py']
teacher_checkpoint = 'checkpoints/mae_vit-small-p8_tiny-imagenet.pth'
model = dict(
    type='IMAE',
    mixer=dict(type='PixelMixer', beta=1.0, partner='permutation'),
    branches=('subordinate', 'dominant'),
    distill_head=dict(
        type='FeatureDistillHead', loss_weight=1.0,
        teacher=dict(type='FrozenViTTeacher', checkpoint=teacher_checkpoint)))
