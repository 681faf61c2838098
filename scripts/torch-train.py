#!/usr/bin/env python3
"""Trains the studio's transformer on a CUDA GPU with PyTorch, from the studio's own files.

Studio training runs on TensorFlow.js (tfjs-node-gpu on a GPU). Where a GPU machine has
PyTorch but no libtensorflow, this script trains the same model from the same inputs:
  - the sentences come from a token-cache folder of the studio's workspace
    (tokens.bin, offsets.u32, start-exponents.i8, labels.u16, manifest.json; the first
    counts.train sentences are the training split, the rest the test split);
  - the slot of every token comes from scripts/export-traces.ts (the studio's own
    traceSentence), run here through node;
  - the input features are core/model/features.ts's, built on the GPU (checked against
    the TypeScript features by --check-features);
  - the model is core/model/gpt.ts's (--check-model compares its logits with the fixture
    test/fixtures/model/torch-forward.json, which the TypeScript model is tested against);
  - the optimizer recipe is core/train's: AdamW (decay on matrices only), gradient
    clipping, linear warm-up then cosine decay to a floor, class dropout, and the weight
    average with d = min(decay, (1 + n) / (10 + n)); batches are drawn epoch by epoch, in
    length buckets (the studio draws random windows of its length order).
It starts from a checkpoint's weights (--init, a studio weights manifest + bin), and
writes the trained weights and their average in that layout, with a JSON-lines log;
scripts/import-torch-run.ts turns them into a studio run folder.

  python3 scripts/torch-train.py --cache <token-cache-dir> --config <run>/config.json \
      --init <run>/checkpoint/ema --out <dir> --name mnist --steps 4000 --batch 64

--budget-s S instead of --steps: the step count is fixed after timing steps 50 to 150, so
that the run ends within S seconds (the log records it, so --steps reproduces the schedule;
the warm-up must then last at least 150 steps, so that no rate depends on the estimate).
The first steps of a run are the slowest (each new sequence length is a new shape for the
GPU's kernels), so such a run tends to end early rather than late.
"""
import argparse
import contextlib
import json
import math
import os
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

VOCAB, TOKEN_FEATURES, START_TOKEN, SUBBANDS, KINDS = 7, 8, 7, 4, 5


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--cache', required=True, help='token-cache folder')
    p.add_argument('--config', required=True, help="a run's config.json (its model config is used)")
    p.add_argument('--init', required=True, help='weights to start from: PREFIX.json + PREFIX.bin')
    p.add_argument('--out', required=True)
    p.add_argument('--work', help='folder for temporary trace files (default: --out)')
    p.add_argument('--name', required=True)
    p.add_argument('--traces', help='traces file of the whole cache (default: made with --node and --exporter)')
    p.add_argument('--node', default='node')
    p.add_argument('--exporter', default='scripts/export-traces.ts', help='export-traces script (a bundled .mjs runs under plain node)')
    p.add_argument('--trace-jobs', type=int, default=8)
    p.add_argument('--steps', type=int, default=0)
    p.add_argument('--budget-s', type=float, default=0)
    p.add_argument('--batch', type=int, default=64)
    p.add_argument('--lr', type=float, default=6e-4)
    p.add_argument('--min-lr-ratio', type=float, default=0.1)
    p.add_argument('--warmup', type=int, default=100)
    p.add_argument('--weight-decay', type=float, default=0.01)
    p.add_argument('--beta1', type=float, default=0.9)
    p.add_argument('--beta2', type=float, default=0.95)
    p.add_argument('--eps', type=float, default=1e-8)
    p.add_argument('--grad-clip', type=float, default=1.0)
    p.add_argument('--class-dropout', type=float, default=0.1)
    p.add_argument('--ema', type=float, default=0.999)
    p.add_argument('--val-every', type=int, default=250)
    p.add_argument('--val-sentences', type=int, default=2000)
    p.add_argument('--save-every', type=int, default=500)
    p.add_argument('--seed', type=int, default=0)
    p.add_argument('--bf16', action='store_true', help='autocast matrix products to bfloat16 (weights stay float32)')
    p.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    p.add_argument('--limit-train', type=int, default=0, help='use only the first N training sentences (tests)')
    p.add_argument('--limit-test', type=int, default=0, help='use only the first N test sentences (tests)')
    p.add_argument('--check-features', help='a JSON file of TypeScript features to compare against, then exit')
    p.add_argument('--check-model', help='test/fixtures/model/torch-forward.json: compare this model\'s logits with it, then exit')
    return p.parse_args(argv)


# ---------------------------------------------------------------- data

def read_cache(folder):
    manifest = json.load(open(os.path.join(folder, 'manifest.json')))
    offsets = np.fromfile(os.path.join(folder, 'offsets.u32'), dtype='<u4').astype(np.int64)
    tokens = np.fromfile(os.path.join(folder, 'tokens.bin'), dtype=np.uint8)
    exps = np.fromfile(os.path.join(folder, 'start-exponents.i8'), dtype=np.int8).astype(np.int64)
    labels = np.fromfile(os.path.join(folder, 'labels.u16'), dtype='<u2').astype(np.int64)
    n = len(offsets) - 1
    if offsets[-1] != len(tokens) or len(exps) != n or len(labels) != n:
        raise SystemExit(f'{folder}: inconsistent cache ({n} sentences, {len(tokens)} tokens, offsets end at {offsets[-1]})')
    counts = manifest['counts']
    if counts['train'] + counts['test'] != n:
        raise SystemExit(f"{folder}: manifest counts {counts} do not add up to {n} sentences")
    return manifest, offsets, tokens, exps, labels


def make_traces(args, total, n):
    """Runs the exporter over [0, n) in parallel slices and joins the field arrays."""
    work = args.work or args.out
    os.makedirs(work, exist_ok=True)
    bounds = np.linspace(0, n, args.trace_jobs + 1).astype(int)
    procs, files = [], []
    for j in range(args.trace_jobs):
        f = os.path.join(work, f'.{args.name}-traces-{j}.bin')
        cmd = [args.node] + ([] if args.exporter.endswith('.mjs') else ['--import', 'tsx']) + [args.exporter, args.cache, f, str(bounds[j]), str(bounds[j + 1])]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL))
        files.append(f)
    codes = [p.wait() for p in procs]
    if any(codes):
        for f in files:
            if os.path.exists(f):
                os.remove(f)
        raise SystemExit(f'trace export failed (exit codes {codes})')
    parts = [np.fromfile(f, dtype='<i2').reshape(6, -1) for f in files]
    for f in files:
        os.remove(f)
    fields = np.concatenate(parts, axis=1)
    if fields.shape[1] != total:
        raise SystemExit(f'traces hold {fields.shape[1]} tokens, the cache {total}')
    return fields


class Features:
    """core/model/features.ts on tensors: one position's vector is
    token one-hot (8) | start-exponent one-hot | class one-hot | current slot | next slot."""

    def __init__(self, cfg, size):
        self.cfg, self.size = cfg, size
        self.with_kind = cfg['nextSlotFeatures']
        self.slot_size = cfg['maxPlanes'] + cfg['maxLevels'] + 1 + SUBBANDS + (KINDS if self.with_kind else 0) + 2 + 4 * cfg['positionFrequencies']
        self.exp_off = TOKEN_FEATURES
        self.class_off = self.exp_off + cfg['exponentCount']
        self.cur_off = self.class_off + cfg['numClasses']
        self.next_off = self.cur_off + self.slot_size if self.with_kind else -1
        self.width = self.cur_off + self.slot_size * (2 if self.with_kind else 1)

    def slot(self, plane, row, col, level, subband, kind):
        """[B, T] int fields -> [B, T, slot_size] float32 (features.ts writeSlot)."""
        c = self.cfg
        one = lambda x, n: F.one_hot(x.clamp(0, n - 1), n).to(torch.float32)
        parts = [one(plane, c['maxPlanes']), one(level, c['maxLevels'] + 1), one(subband, SUBBANDS)]
        if self.with_kind:
            parts.append(one(kind, KINDS) * (kind >= 0).unsqueeze(-1).to(torch.float32))
        side = torch.where(level == 0, torch.full_like(level, 2), torch.div(torch.full_like(level, self.size), 2 ** level.clamp(0, 30), rounding_mode='floor')).to(torch.float64)
        row_in = torch.where((subband == 2) | (subband == 3), row - side, row.to(torch.float64))
        col_in = torch.where((subband == 1) | (subband == 3), col - side, col.to(torch.float64))
        u = (row_in + 0.5) / side
        v = (col_in + 0.5) / side
        pos = [u, v]
        for k in range(c['positionFrequencies']):
            w = 2 * math.pi * (1 << k)
            pos += [torch.sin(w * u), torch.cos(w * u), torch.sin(w * v), torch.cos(w * v)]
        parts.append(torch.stack(pos, -1).to(torch.float32))
        return torch.cat(parts, -1)

    def build(self, tok_prev, exps, classes, cur, nxt, cur_on, nxt_on):
        """tok_prev [B, T] (START_TOKEN at 0), exps/classes [B] (class < 0: none),
        cur/nxt: tuples of six [B, T] fields, cur_on/nxt_on [B, T] bool -> [B, T, width]."""
        c = self.cfg
        B, T = tok_prev.shape
        out = torch.zeros(B, T, self.width, device=tok_prev.device)
        out[:, :, :TOKEN_FEATURES] = F.one_hot(tok_prev.clamp(0, TOKEN_FEATURES - 1), TOKEN_FEATURES).to(torch.float32)
        e = (exps - c['exponentMin']).clamp(0, c['exponentCount'] - 1)
        out[:, :, self.exp_off:self.class_off] = F.one_hot(e, c['exponentCount']).to(torch.float32).unsqueeze(1)
        cls = F.one_hot(classes.clamp(0, c['numClasses'] - 1), c['numClasses']).to(torch.float32) * (classes >= 0).unsqueeze(-1).to(torch.float32)
        out[:, :, self.class_off:self.cur_off] = cls.unsqueeze(1)
        out[:, :, self.cur_off:self.cur_off + self.slot_size] = self.slot(*cur) * cur_on.unsqueeze(-1).to(torch.float32)
        if self.with_kind:
            out[:, :, self.next_off:self.next_off + self.slot_size] = self.slot(*nxt) * nxt_on.unsqueeze(-1).to(torch.float32)
        return out


class Corpus:
    """The whole cache (both splits) on the device, and batches of its sentences as features."""

    def __init__(self, feats, offsets, tokens, fields, exps, labels, context, device):
        self.feats, self.context, self.device = feats, context, device
        self.offsets = torch.as_tensor(offsets, device=device)
        self.tokens = tokens
        self.fields = fields
        self.exps = torch.as_tensor(exps, device=device)
        self.labels = torch.as_tensor(labels, device=device)
        self.lengths = (self.offsets[1:] - self.offsets[:-1]).clamp(max=context)

    def batch(self, idx, drop=None, pad=1):
        """idx: sentence indices of the cache [B] -> features [B, T, F], targets [B, T], valid [B, T].
        T is the longest sentence rounded up to a multiple of `pad`: fewer distinct shapes
        mean fewer slow first calls of the GPU kernels (padding never enters the loss)."""
        start = self.offsets[idx]
        length = self.lengths[idx]
        T = -(-int(length.max()) // pad) * pad
        ar = torch.arange(T, device=self.device)
        valid = ar.unsqueeze(0) < length.unsqueeze(1)
        pos = torch.where(valid, start.unsqueeze(1) + ar.unsqueeze(0), start.unsqueeze(1))
        target = self.tokens[pos].long()
        prev = torch.cat([torch.full_like(target[:, :1], START_TOKEN), target[:, :-1]], 1)
        nxt = tuple(f[pos].long() for f in self.fields)
        cur = tuple(torch.cat([g[:, :1], g[:, :-1]], 1) for g in nxt)
        cur_on = valid & (ar.unsqueeze(0) > 0)
        nxt_on = valid & (nxt[5] >= 0)
        classes = self.labels[idx].clone()
        if drop is not None:
            classes[drop] = -1
        x = self.feats.build(prev, self.exps[idx], classes, cur, nxt, cur_on, nxt_on)
        return x, target, valid


# ---------------------------------------------------------------- model

def read_weights(prefix):
    manifest = json.load(open(prefix + '.json'))
    groups = manifest['weightsManifest'] if isinstance(manifest, dict) else manifest
    entries = [w for g in groups for w in g['weights']]
    data = np.fromfile(prefix + '.bin', dtype='<f4')
    out, at = [], 0
    for w in entries:
        n = int(np.prod(w['shape']))
        if at + n > len(data):
            raise SystemExit(f'{prefix}.bin is too short at {w["name"]}')
        out.append((w['name'], w['shape'], data[at:at + n].reshape(w['shape']).copy()))
        at += n
    if at != len(data):
        raise SystemExit(f'{prefix}.bin holds {len(data) - at} values after the manifest')
    return out


class Gpt(torch.nn.Module):
    """core/model/gpt.ts: kernels stored [in, out]; fused QKV with head h on columns h*hs..(h+1)*hs."""

    def __init__(self, cfg, named):
        super().__init__()
        self.cfg = cfg
        self.names = [n for n, _, _ in named]
        self.params = torch.nn.ParameterList([torch.nn.Parameter(torch.from_numpy(a)) for _, _, a in named])
        self.by = {n: p for n, p in zip(self.names, self.params)}
        # weight decay on matrices only, as the studio's AdamW
        self.decay = [p for n, p in zip(self.names, self.params) if n.endswith('/kernel')]
        self.no_decay = [p for n, p in zip(self.names, self.params) if not n.endswith('/kernel')]

    def forward(self, x):
        c, W = self.cfg, self.by
        D, H = c['width'], c['heads']
        hs = D // H
        B, T, _ = x.shape
        ln = lambda h, p: F.layer_norm(h, (D,), W[p + '/gamma'], W[p + '/beta'], 1e-5)
        lin = lambda h, p: h @ W[p + '/kernel'] + W[p + '/bias']
        h = lin(x, 'input')
        for l in range(c['layers']):
            b = f'block{l}/'
            q, k, v = lin(ln(h, b + 'ln1'), b + 'attn/qkv').split(D, -1)
            q, k, v = (z.view(B, T, H, hs).transpose(1, 2) for z in (q, k, v))
            if hasattr(F, 'scaled_dot_product_attention'):
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            else:
                att = (q @ k.transpose(-2, -1)) / math.sqrt(hs)
                att = att.masked_fill(torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), 1), float('-inf'))
                y = att.softmax(-1) @ v
            h = h + lin(y.transpose(1, 2).reshape(B, T, D), b + 'attn/proj')
            h = h + lin(F.gelu(lin(ln(h, b + 'ln2'), b + 'mlp/fc'), approximate='tanh'), b + 'mlp/out')
        return lin(ln(h, 'final_ln'), 'head')


# ---------------------------------------------------------------- training

def check_model(path):
    """Logits of this model on the fixture's weights and features against the fixture's."""
    fx = json.load(open(path))
    named = [(w['name'], w['shape'], np.array(w['data'], dtype=np.float32).reshape(w['shape'])) for w in fx['weights']]
    model = Gpt(fx['config'], named)
    x = torch.tensor(np.array(fx['features']['data'], dtype=np.float32).reshape(fx['features']['shape']))
    with torch.no_grad():
        got = model(x)
    want = torch.tensor(np.array(fx['logits']['data'], dtype=np.float32).reshape(fx['logits']['shape']))
    diff = float((got - want).abs().max())
    print(json.dumps({'logits_shape': list(got.shape), 'max_abs_diff': diff}))
    return 0 if diff < 1e-4 else 1


def autocast(bf16):
    return torch.autocast('cuda', dtype=torch.bfloat16) if bf16 else contextlib.nullcontext()


def lr_at(step, a, steps):
    """core/train/schedule.ts learningRateAt."""
    if step < a.warmup:
        return a.lr * (step + 1) / a.warmup
    floor = a.lr * a.min_lr_ratio
    progress = min(1.0, (step - a.warmup) / max(1, steps - a.warmup))
    return floor + (a.lr - floor) * (1 + math.cos(math.pi * progress)) / 2


def nll(model, corpus, order, batch, bf16):
    """Summed NLL (nats) and token count over the sentences (in batches of neighbours in
    `order`), and NLL per sentence in that order (sentences longer than the context are
    scored on their first `context` tokens)."""
    total, count, per = 0.0, 0, []
    with torch.no_grad():
        for i in range(0, len(order), batch):
            idx = order[i:i + batch]
            x, y, valid = corpus.batch(idx, pad=32)
            with autocast(bf16):
                logits = model(x)
            ce = F.cross_entropy(logits.float().reshape(-1, VOCAB), y.reshape(-1), reduction='none').reshape(y.shape) * valid
            total += float(ce.sum())
            count += int(valid.sum())
            per.append(ce.sum(1))
    return total, count, torch.cat(per)


def write_weights(model, path):
    arr = np.concatenate([p.detach().float().cpu().numpy().reshape(-1) for p in model.params]).astype('<f4')
    tmp = path + '.tmp'
    arr.tofile(tmp)
    os.replace(tmp, path)


def main(argv=None):
    a = parse_args(argv)
    if (a.steps > 0) == (a.budget_s > 0) and not (a.check_features or a.check_model):
        raise SystemExit('give either --steps or --budget-s')
    if a.budget_s > 0 and a.warmup < 150:
        raise SystemExit('--budget-s fixes the step count at step 150: give --warmup 150 or more, or --steps')
    if a.check_model:
        sys.exit(check_model(a.check_model))
    t_start = time.time()
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    dev = torch.device(a.device)
    if dev.type == 'cuda':
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    os.makedirs(a.out, exist_ok=True)
    log_file = None

    def log(**event):
        event['t'] = round(time.time() - t_start, 2)
        line = json.dumps(event)
        if log_file:
            log_file.write(line + '\n')
            log_file.flush()
        print(f'[{a.name}] {line}', flush=True)

    run_config = json.load(open(a.config))
    cfg = run_config['model']
    manifest, offsets, tokens, exps, labels = read_cache(a.cache)
    for key in ('wavelet', 'finalExponent', 'variant'):
        if manifest['tokenizer'].get(key) != run_config['tokenizer'].get(key):
            raise SystemExit(f"the cache's tokenizer {manifest['tokenizer']} is not the run's {run_config['tokenizer']}")
    if manifest['datasetId'] != run_config['datasetId']:
        raise SystemExit(f"the cache holds {manifest['datasetId']}, the run was trained on {run_config['datasetId']}")
    if len(manifest['classes']) > cfg['numClasses']:
        raise SystemExit(f"the cache has {len(manifest['classes'])} classes, the model {cfg['numClasses']}")
    n = len(offsets) - 1
    n_train = manifest['counts']['train']
    if a.traces:
        fields = np.fromfile(a.traces, dtype='<i2').reshape(6, -1)
        if fields.shape[1] != len(tokens):
            raise SystemExit(f'{a.traces} holds {fields.shape[1]} tokens, the cache {len(tokens)}')
    else:
        fields = make_traces(a, len(tokens), n)
    log(event='data', sentences=n, train=n_train, tokens=int(len(tokens)), trace_s=round(time.time() - t_start, 1))
    feats = Features(cfg, manifest['geometry']['size'])
    corpus = Corpus(feats, offsets, torch.as_tensor(tokens, device=dev), tuple(torch.as_tensor(f, device=dev) for f in fields),
                    exps, labels, cfg['context'], dev)

    if a.check_features:
        ref = json.load(open(a.check_features))
        idx = torch.as_tensor(ref['indices'], device=dev)
        drop = torch.as_tensor(ref['dropped'], device=dev, dtype=torch.bool)
        x, _, valid = corpus.batch(idx, drop)
        want = torch.as_tensor(np.array(ref['features'], dtype=np.float32).reshape(x.shape), device=dev)
        diff = float(((x - want).abs() * valid.unsqueeze(-1)).max())
        print(json.dumps({'features_shape': list(x.shape), 'max_abs_diff': diff}))
        sys.exit(0 if diff < 1e-5 else 1)

    log_file = open(os.path.join(a.out, f'{a.name}-log.jsonl'), 'w')
    named = read_weights(a.init)
    if named[0][1][0] != feats.width:
        raise SystemExit(f'{a.init}: input kernel has {named[0][1][0]} rows, the features {feats.width}')
    model = Gpt(cfg, named).to(dev)
    ema = [p.detach().clone() for p in model.params]
    opt = torch.optim.AdamW([{'params': model.decay, 'weight_decay': a.weight_decay}, {'params': model.no_decay, 'weight_decay': 0.0}],
                            lr=a.lr, betas=(a.beta1, a.beta2), eps=a.eps)

    train_ids = np.arange(n_train if not a.limit_train else min(a.limit_train, n_train))
    test_all = np.arange(n_train, n if not a.limit_test else min(n, n_train + a.limit_test))
    if len(train_ids) < a.batch:
        raise SystemExit(f'{len(train_ids)} training sentences, fewer than one batch of {a.batch}')
    if len(test_all) == 0:
        raise SystemExit('the cache has no test sentences to validate on')
    if a.bf16 and dev.type != 'cuda':
        log(event='note', message='--bf16 applies on CUDA only; training in float32')
    val_ids = torch.as_tensor(np.sort(np.random.default_rng(a.seed ^ 0x5eed).choice(test_all, min(a.val_sentences, len(test_all)), replace=False)), device=dev)
    test_ids = torch.as_tensor(test_all, device=dev)
    lengths_np = (offsets[1:] - offsets[:-1]).clip(max=cfg['context'])

    def swap_ema():
        for p, e in zip(model.params, ema):
            tmp = p.detach().clone()
            p.data.copy_(e)
            e.copy_(tmp)

    def validate(step, ids, full=False):
        model.eval()
        order = ids[torch.argsort(corpus.lengths[ids])]
        s, c, per = nll(model, corpus, order, max(8, a.batch), a.bf16)
        swap_ema()
        se, ce, per_e = nll(model, corpus, order, max(8, a.batch), a.bf16)
        swap_ema()
        model.train()
        ev = dict(event='final' if full else 'val', step=step, val_loss=round(s / c, 5), ema_val_loss=round(se / ce, 5), sentences=int(len(ids)))
        if full:
            # bits per image over whole sentences only, as the studio's eval counts them
            whole = (corpus.offsets[order + 1] - corpus.offsets[order]) <= corpus.context
            ev['bits_per_image'] = round(float(per[whole].mean()) / math.log(2), 2)
            ev['ema_bits_per_image'] = round(float(per_e[whole].mean()) / math.log(2), 2)
            ev['bits_left_out'] = int((~whole).sum())
        log(**ev)

    def save():
        write_weights(model, os.path.join(a.out, f'{a.name}-weights.bin'))
        swap_ema()
        write_weights(model, os.path.join(a.out, f'{a.name}-ema.bin'))
        swap_ema()

    def epoch_batches():
        """Length-bucketed batches: shuffle, sort chunks of 32 batches by length, shuffle the batches."""
        perm = rng.permutation(train_ids)
        chunk = a.batch * 32
        out = []
        for i in range(0, len(perm), chunk):
            part = perm[i:i + chunk]
            part = part[np.argsort(lengths_np[part], kind='stable')]
            out += [part[j:j + a.batch] for j in range(0, len(part) - a.batch + 1, a.batch)]
        rng.shuffle(out)
        return out

    steps = a.steps if a.steps > 0 else 10 ** 9
    log(event='start', dataset=manifest['datasetId'], tokenizer=manifest['tokenizer'], cache_key=manifest.get('key'), params=sum(p.numel() for p in model.params), batch=a.batch, lr=a.lr, warmup=a.warmup, steps=a.steps or None,
        budget_s=a.budget_s or None, class_dropout=a.class_dropout, ema=a.ema, min_lr_ratio=a.min_lr_ratio, weight_decay=a.weight_decay,
        beta1=a.beta1, beta2=a.beta2, eps=a.eps, grad_clip=a.grad_clip, seed=a.seed, bf16=a.bf16, device=str(dev),
        gpu=torch.cuda.get_device_name(0) if dev.type == 'cuda' else None, torch=torch.__version__)
    t_val = time.time()
    validate(0, val_ids)
    val_s = time.time() - t_val
    step, epoch, queue = 0, 0, []
    t_train = time.time()
    tokens_seen, loss_acc, loss_n = 0, 0.0, 0
    while step < steps:
        if not queue:
            queue = epoch_batches()
            epoch += 1
        idx_np = queue.pop()
        idx = torch.as_tensor(idx_np, device=dev)
        drop = torch.as_tensor(rng.random(len(idx_np)) < a.class_dropout, device=dev) if a.class_dropout > 0 else None
        x, y, valid = corpus.batch(idx, drop, pad=32)
        lr = lr_at(step, a, steps)
        for g in opt.param_groups:
            g['lr'] = lr
        with autocast(a.bf16):
            logits = model(x)
        ce = F.cross_entropy(logits.float().reshape(-1, VOCAB), y.reshape(-1), reduction='none')
        loss = (ce * valid.reshape(-1)).sum() / valid.sum()
        if not torch.isfinite(loss):
            log(event='error', step=step, message='non-finite loss; stopping with the last saved weights')
            sys.exit(1)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        # the studio's trainer: clip to gradClip (0 = no clipping), skip nothing silently
        norm = torch.nn.utils.clip_grad_norm_(model.params, a.grad_clip if a.grad_clip > 0 else float('inf'))
        if not torch.isfinite(norm):
            log(event='error', step=step, message='non-finite gradient; stopping with the last saved weights')
            sys.exit(1)
        opt.step()
        step += 1
        d = min(a.ema, (1 + step) / (10 + step))
        with torch.no_grad():
            torch._foreach_mul_(ema, d)
            torch._foreach_add_(ema, [p.detach() for p in model.params], alpha=1 - d)
        tokens_seen += int(valid.sum())
        loss_acc += float(loss)
        loss_n += 1
        if a.steps == 0 and step == 50:
            t50 = time.time()
        if a.steps == 0 and step == 150:
            # the first steps pay for start-up: time steps 50..150, then fix the schedule so the
            # run (validations included) ends with time for the final test-set pass
            per_step = (time.time() - t50) / 100
            left = a.budget_s - (time.time() - t_start) - 2 * val_s * len(test_ids) / max(1, len(val_ids)) - 10
            steps = max(a.warmup + 1, step, 150 + int(left / (per_step * 1.08 + (val_s / a.val_every if a.val_every > 0 else 0))))
            log(event='schedule', steps=steps, s_per_step=round(per_step, 4), val_s=round(val_s, 2))
        if step % 50 == 0 or step == steps:
            el = time.time() - t_train
            log(event='step', step=step, loss=round(loss_acc / loss_n, 5), lr=lr, epoch=epoch, tokens_per_s=round(tokens_seen / el), wall_s=round(el, 1))
            loss_acc, loss_n = 0.0, 0
        if a.val_every > 0 and step % a.val_every == 0 and step < steps:
            validate(step, val_ids)
        if a.save_every > 0 and step % a.save_every == 0 and step < steps:
            save()
    save()
    validate(step, test_ids, full=True)
    log(event='done', steps=step, epochs=round(step * a.batch / len(train_ids), 3), train_s=round(time.time() - t_train, 1))


if __name__ == '__main__':
    main()
