# i-MAE without distillation on ImageNet-1K (i-MAE Tab. 4, "i-MAE w/o distill"): the two-way
# reconstruction alone, no teacher; otherwise the ImageNet i-MAE recipe.
_base_ = ['./imae_vit-base-p16_8xb512-amp-coslr-800e_in1k.py']
model = dict(distill_head=None)
