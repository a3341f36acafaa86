# SemanticMIM's fine-tune recipe (Tab. 3): 100 epochs, batch 1024, lr 4e-3, drop path 0.1,
# weight decay 1e-4, on MR-MAE's fine-tune pipeline (AdamW, 5 warm-up epochs, Mixup/CutMix,
# RandAugment, label smoothing, mmpretrain's layer-decay constructor; rate 0.65, BEiT's, as the
# paper's table names none). proxy_readout='mean' (the official readout: the mean of the
# proxies) fills the [CLS] slot; the classifier's features are patch averages (avg_featmap).
_base_ = ['../../mrmae/benchmarks/vit-base-p16_8xb128-coslr-100e-ft_in1k.py']
checkpoint = 'work_dirs/semanticmim-maskfeat_vit-base-p16_8xb256-amp-coslr-300e_in1k/epoch_300.pth'
model = dict(backbone=dict(
    drop_path_rate=0.1, num_proxy_tokens=8, proxy_block=None, proxy_readout='mean',
    init_cfg=dict(type='Pretrained', checkpoint=checkpoint, prefix='backbone.')))
optim_wrapper = dict(optimizer=dict(lr=4e-3, weight_decay=1e-4),
                     paramwise_cfg=dict(layer_decay_rate=0.65))
