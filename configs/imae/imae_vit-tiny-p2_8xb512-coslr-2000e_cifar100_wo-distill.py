# i-MAE without distillation on cifar100 (i-MAE Tab. 4, "i-MAE w/o distill"): the two-way
# reconstruction alone, no teacher; otherwise the i-MAE recipe of that dataset.
_base_ = ['./imae_vit-tiny-p2_8xb512-coslr-2000e_cifar100.py']
model = dict(distill_head=None)
