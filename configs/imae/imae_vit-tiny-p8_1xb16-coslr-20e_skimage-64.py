# i-MAE, small, on the embedded photos at 64x64 (labels = photo index), distilling from the MAE
# that `make demo` trains (work_dirs/demo/epoch_20.pth): the same sizes and schedule as that
# MAE, plus i-MAE's pixel mixer, disentangle layers and distillation.
_base_ = ['../mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
model = dict(
    type='IMAE',
    mixer=dict(type='PixelMixer', beta=1.0, partner='permutation'),
    branches=('subordinate', 'dominant'),
    distill_head=dict(
        type='FeatureDistillHead',
        loss_weight=1.0,
        teacher=dict(
            type='FrozenViTTeacher',
            encoder=dict(type='MIMViT', arch='mim-tiny', img_size=64, patch_size=8),
            checkpoint='work_dirs/demo/epoch_20.pth')))
