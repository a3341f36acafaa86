# UperNet on ADE20K from SemanticMIM (MaskFeat) ViT-B/16 with 8 proxies (300 epochs), the paper's
# recipe (Tab. 4: 640x640, lr 3e-5, linear decay, 1500 warm-up, batch 16). The proxies stay in
# the backbone; the [MASK] branch is pretraining-only (proxy_block=None). The toolkit's common
# 512x512 protocol for every method is the *_512x512 configs.
#   python tools/train.py configs/downstream/ade20k/THIS_CONFIG \
#       --cfg-options model.backbone.init_cfg.checkpoint=CKPT
_base_ = ['./_base_/upernet_vit-base-p16_8xb2-amp-160k_ade20k-640x640.py']
checkpoint = 'work_dirs/semanticmim-maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
model = dict(
    backbone=dict(num_proxy_tokens=8, proxy_block=None, init_cfg=dict(checkpoint=checkpoint)))
