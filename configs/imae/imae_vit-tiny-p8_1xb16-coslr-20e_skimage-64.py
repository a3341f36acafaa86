# i-MAE, small, on the embedded photos at 64x64 (labels = photo index), distilling from the MAE
# that `make demo` trains (work_dirs/demo/epoch_20.pth): that MAE's sizes and schedule with
# i-MAE's defaults (pixel mixer, two disentangle layers, distillation with c = 1).
_base_ = ['../mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
model = dict(
    type='IMAE',
    mixer=dict(type='PixelMixer'),  # the pretrainer's default, written out
    distill_head=dict(type='FeatureDistillHead',
                      teacher=dict(type='FrozenViTTeacher',
                                   checkpoint='work_dirs/demo/epoch_20.pth',
                                   # the student's architecture, written out
                                   encoder=dict(type='MIMViT', arch='mim-tiny', img_size=64,
                                                patch_size=8))))
