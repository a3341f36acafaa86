# MR-MAE, small, stage 2 of the two-stage CPU recipe on Fashion-MNIST 32x32:
#   1. python tools/train.py configs/mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py
#   2. python tools/train.py THIS   (mimics stage 1's encoder, frozen)
# The MAE config's encoder, decoder, data and schedule with focused masking, a mimic head on the
# visible tokens and loss weights 0.5 / 0.5 (§4.1).
_base_ = ['../mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
teacher_checkpoint = 'work_dirs/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32/epoch_2.pth'
model = dict(
    masker=dict(_delete_=True, type='FocusedMasker', mask_ratio=0.75, focus_ratio=0.5),
    aux_heads=[dict(
        type='MimicHead', in_channels=192, loss_weight=0.5,
        teacher=dict(type='FrozenViTTeacher', checkpoint=teacher_checkpoint,
                     encoder=dict(type='MIMViT', arch='mim-tiny', img_size=32, patch_size=4)))],
    head=dict(loss_weight=0.5))
