# i-MAE "w/o distill" (paper Tab. 4): two-way reconstruction only, no teacher needed.
_base_ = ['./imae_vit-tiny-p4_1xb64-coslr-2e_fashion-mnist-32.py']
model = dict(distill_head=None)
