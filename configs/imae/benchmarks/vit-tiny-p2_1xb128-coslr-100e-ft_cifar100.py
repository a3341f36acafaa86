# Fine-tune an i-MAE ViT-Tiny/2 on CIFAR-100: the CIFAR-10 recipe (supp. Tab. 3: the same
# column covers CIFAR-10/100) with CIFAR-100's 100 classes and statistics.
_base_ = ['./vit-tiny-p2_1xb128-coslr-100e-ft_cifar10.py']
checkpoint = 'work_dirs/imae_vit-tiny-p2_8xb512-coslr-2000e_cifar100/epoch_2000.pth'
model = dict(
    data_preprocessor=dict(num_classes=100, mean=[129.304, 124.070, 112.434],
                           std=[68.170, 65.392, 70.418]),
    backbone=dict(init_cfg=dict(checkpoint=checkpoint)),
    head=dict(num_classes=100))
train_dataloader = dict(dataset=dict(type='CIFAR100', data_root='data/cifar100/'))
val_dataloader = dict(dataset=dict(type='CIFAR100', data_root='data/cifar100/'))
test_dataloader = val_dataloader
