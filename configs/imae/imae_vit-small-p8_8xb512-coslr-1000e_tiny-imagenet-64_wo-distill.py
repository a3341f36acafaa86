# i-MAE without distillation on tiny-imagenet-64 (i-MAE Tab. 4, "i-MAE w/o distill"): the two-way
# reconstruction alone, no teacher; otherwise the i-MAE recipe of that dataset.
_base_ = ['./imae_vit-small-p8_8xb512-coslr-1000e_tiny-imagenet-64.py']
model = dict(distill_head=None)
