# i-MAE, small, stage 2 of the two-stage CPU recipe on Fashion-MNIST 32x32:
#   1. python tools/train.py configs/mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py
#   2. python tools/train.py THIS   (distils from stage 1's encoder, frozen)
# The MAE config's encoder, decoder, data and schedule (mask 0.75, norm_pix) with i-MAE's
# defaults: pixel mixer (alpha ~ Beta(1, 1), in-batch partner), two disentangle layers, and
# distillation (c = 1) from a teacher of the student's architecture.
_base_ = ['../mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
teacher_checkpoint = 'work_dirs/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32/epoch_2.pth'
model = dict(
    type='IMAE',
    mixer=dict(type='PixelMixer'),  # the pretrainer's default, written out
    distill_head=dict(type='FeatureDistillHead',
                      teacher=dict(type='FrozenViTTeacher', checkpoint=teacher_checkpoint,
                                   # the student's architecture, written out
                                   encoder=dict(type='MIMViT', arch='mim-tiny', img_size=32,
                                                patch_size=4))))
