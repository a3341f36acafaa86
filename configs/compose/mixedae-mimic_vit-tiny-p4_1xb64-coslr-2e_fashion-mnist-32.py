# MixedAE + mimic head, small, on Fashion-MNIST 32x32: MixedAE's Fashion-MNIST config with
# MR-MAE's Fashion-MNIST mimic head (the MAE of stage 1 as the frozen teacher):
#   1. python tools/train.py configs/mae/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py
#   2. python tools/train.py THIS
_base_ = ['../mixedae/mixedae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
teacher_checkpoint = 'work_dirs/mae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32/epoch_2.pth'
model = dict(aux_heads=[dict(
    type='MimicHead', in_channels=192, loss_weight=0.5,
    teacher=dict(type='FrozenViTTeacher', checkpoint=teacher_checkpoint,
                 encoder=dict(type='MIMViT', arch='mim-tiny', img_size=32, patch_size=4)))])
