# i-MAE (Zhang & Shen) on MAE's ViT-B/16 + 8-layer decoder: pixel mixup with alpha ~ Beta(1, 1)
# and an in-batch partner, two linear disentangle layers (built by default in the encoder width),
# the shared decoder reconstructing the subordinate and the dominant image, and patch-wise
# distillation from a frozen MAE encoder of the student's architecture (set its checkpoint).
_base_ = ['./mae_vit-base-p16.py']
model = dict(
    type='IMAE',
    mixer=dict(type='PixelMixer', beta=1.0, partner='permutation'),
    branches=('subordinate', 'dominant'),
    distill_head=dict(
        type='FeatureDistillHead',
        loss_weight=1.0,
        teacher=dict(type='FrozenViTTeacher', checkpoint='checkpoints/mae_vit-base-p16_in1k.pth')))
