# CIFAR-100 from the python-version batches in data/cifar100 (mmpretrain's CIFAR100; no download).
_base_ = ['./cifar10_mim.py']
dataset_type = 'CIFAR100'
data_root = 'data/cifar100/'
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
