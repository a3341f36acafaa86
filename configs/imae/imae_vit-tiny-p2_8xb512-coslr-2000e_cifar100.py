# i-MAE on CIFAR-100, the paper's recipe: as on CIFAR-10 (see that config), with CIFAR-100.
_base_ = ['./imae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py']
teacher_checkpoint = 'checkpoints/mae_vit-tiny-p2_cifar100.pth'
model = dict(
    data_preprocessor=dict(mean=[129.304, 124.070, 112.434], std=[68.170, 65.392, 70.418]),
    distill_head=dict(teacher=dict(checkpoint=teacher_checkpoint)))
train_dataloader = dict(
    dataset=dict(type='CIFAR100', data_root='data/cifar100/', pipeline=[dict(type='PackInputs')]))
