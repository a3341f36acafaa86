# i-MAE without distillation on CIFAR-10 (i-MAE Tab. 4, "i-MAE w/o distill"): the two-way
# reconstruction alone, no teacher; otherwise the CIFAR-10 i-MAE recipe.
_base_ = ['./imae_vit-tiny-p2_8xb512-coslr-2000e_cifar10.py']
model = dict(distill_head=None)
