# MAE on CIFAR-100 with i-MAE's CIFAR recipe (as on CIFAR-10, see that config): the MAE rows of
# i-MAE Tabs. 1-3 and the teacher of configs/imae/imae_vit-tiny-p2_8xb512-coslr-2000e_cifar100.py.
_base_ = ['./mae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py']
model = dict(
    data_preprocessor=dict(mean=[129.304, 124.070, 112.434], std=[68.170, 65.392, 70.418]))
train_dataloader = dict(
    dataset=dict(type='CIFAR100', data_root='data/cifar100/', pipeline=[dict(type='PackInputs')]))
