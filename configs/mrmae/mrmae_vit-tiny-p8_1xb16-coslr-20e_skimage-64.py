# MR-MAE, small, stage 2 of the two-stage CPU recipe on the embedded photos (64x64 crops):
#   1. python tools/train.py configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py
#   2. python tools/train.py THIS   (mimics stage 1's encoder, frozen, as the teacher)
# The MAE config's encoder, decoder, data and schedule, with MR-MAE's parts: focused masking
# (half of the 16 visible patches chosen by the teacher's [CLS] attention), a mimic head on the
# visible tokens, and the 0.5 / 0.5 loss weights of the paper (§4.1).
_base_ = ['../mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py']
teacher_checkpoint = 'work_dirs/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64/epoch_20.pth'
model = dict(
    masker=dict(_delete_=True, type='FocusedMasker', mask_ratio=0.75, focus_ratio=0.5),
    aux_heads=[dict(
        type='MimicHead', in_channels=192, loss_weight=0.5,
        teacher=dict(type='FrozenViTTeacher', checkpoint=teacher_checkpoint,
                     encoder=dict(type='MIMViT', arch='mim-tiny', img_size=64, patch_size=8)))],
    head=dict(loss_weight=0.5))
