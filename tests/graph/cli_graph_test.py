#!/usr/bin/env python3
"""paddock's graph options end to end: -show prop -o DIR -png over the corpus (a PNG per test, looked at),
-explain on C-peterz (text and a highlighted SVG), --minimize on C-peterz (ready-to-run tests), bad usage."""
import os, re, struct, subprocess, sys, tempfile, zlib

paddock, litmus_dir, corpus = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def run(*args):
    return subprocess.run([paddock, *args], capture_output=True, text=True, timeout=300)


def png_info(path):
    """(width, height, rgb rows) of an 8-bit RGB/RGBA PNG (what Graphviz's cairo writes)."""
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', path
    at, idat, w = 8, b'', None
    while at < len(data):
        n, kind = struct.unpack('>I4s', data[at:at + 8])
        body = data[at + 8:at + 8 + n]
        if kind == b'IHDR':
            w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        elif kind == b'IDAT':
            idat += body
        at += 12 + n
    bpp = {6: 4, 2: 3}[ctype]
    raw, stride, prev, rows = zlib.decompress(idat), w * bpp, bytearray(w * bpp), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], prev[x - bpp] if x >= bpp else 0
            p = a + b - c
            pred = [0, a, b, (a + b) // 2,
                    a if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c) else b if abs(p - b) <= abs(p - c) else c][f]
            line[x] = (line[x] + pred) & 255
        rows.append([tuple(line[i:i + 3]) if bpp == 3 or line[i + 3] == 255 else (255, 255, 255)
                     for i in range(0, stride, bpp)])
        prev = line
    return w, h, rows


def has_colour(rows, rgb, tol=40):
    return any(all(abs(p[k] - rgb[k]) <= tol for k in range(3)) for row in rows for p in row)


with tempfile.TemporaryDirectory() as tmp:
    # 1. The corpus: one viewable PNG per test, with rf edges drawn where herd counts positive executions.
    if os.path.isdir(corpus):
        tests = sorted(os.path.join(d, f) for d, _, fs in os.walk(corpus) for f in fs if f.endswith('.litmus'))
        out = os.path.join(tmp, 'corpus')
        r = run('-show', 'prop', '-o', out, '-png', corpus)
        check(r.returncode == 0, f'corpus run exit {r.returncode}: {r.stderr[:500]}')
        pngs = [f for f in os.listdir(out) if f.endswith('.png')] if os.path.isdir(out) else []
        check(len(pngs) == len(tests), f'{len(pngs)} PNGs for {len(tests)} tests')
        positive = {m.group(1): int(m.group(2)) for m in re.finditer(r'^Observation (\S+) \S+ (\d+) \d+', r.stdout, re.M)}
        looked = {True: 0, False: 0}
        for f in sorted(pngs):
            path = os.path.join(out, f)
            w, h = struct.unpack('>II', open(path, 'rb').read()[16:24])
            check(w >= 50 and h >= 30, f'{f}: {w}x{h}')
            pos = positive.get(f[:-4], 0) > 0
            if looked[pos] >= (5 if pos else 3):
                continue
            looked[pos] += 1
            _, _, rows = png_info(path)
            if pos:  # executions drawn: blue event boxes, and a picture of some size
                check(has_colour(rows, (0, 0, 255)), f'{f}: no events drawn in a test with positive executions')
                check(w > 200 and h > 150, f'{f}: {w}x{h} is too small for its executions')
            else:  # Never: herd's red "no execution" box only
                check(not has_colour(rows, (0, 0, 255), 30) and has_colour(rows, (255, 0, 0)), f'{f}: expected the empty box')
        looked = min(looked.values())
        check(looked >= 3, f'too few PNGs looked at')
    # 2. -explain names the check and draws its cycle.
    peterz = os.path.join(litmus_dir, 'C-peterz.litmus')
    ex = os.path.join(tmp, 'explain')
    r = run('-explain', '-o', ex, '-svg', '-png', peterz)
    check(r.returncode == 0, f'-explain exit {r.returncode}: {r.stderr}')
    check('forbidden by propagation (acyclic at' in r.stdout, '-explain names the check:\n' + r.stdout)
    check('c -fr-> d -po-> e -rf-> f' in r.stdout, '-explain reads the cycle in po/rf/co/fr')
    svg = open(os.path.join(ex, 'C-peterz-explain.svg')).read() if os.path.exists(os.path.join(ex, 'C-peterz-explain.svg')) else ''
    check(svg.count('stroke="#00e0ff"') >= 2, 'the SVG highlights the cycle')
    if os.path.exists(os.path.join(ex, 'C-peterz-explain.png')):
        w, h, rows = png_info(os.path.join(ex, 'C-peterz-explain.png'))
        check(has_colour(rows, (0, 224, 255)), 'the PNG shows the highlight colour')
    else:
        check(False, 'no C-peterz-explain.png')
    # 3. --minimize prints the minimal set and writes it as a test that runs Never.
    mn = os.path.join(tmp, 'min')
    r = run('--minimize', '-o', mn, peterz)
    check(r.returncode == 0, f'--minimize exit {r.returncode}: {r.stderr}')
    check('1 minimal set keeping Never:' in r.stdout, r.stdout)
    check('diff: 34:7 smp_load_acquire(z) -> READ_ONCE(*z)' in r.stdout, 'one-line diff')
    check('confirmed by a full check: Observation C-peterz Never 0 7' in r.stdout, 'confirmation')
    m1 = os.path.join(mn, 'C-peterz-min1.litmus')
    r2 = run(m1) if os.path.exists(m1) else None
    check(r2 is not None and 'Observation C-peterz Never 0 7' in r2.stdout, 'the written minimal test runs Never')
    # 4. Bad usage and bad input.
    for args, msg in [(['-show', 'prop', peterz], '-show prop needs -o DIR'),
                      (['-show', 'bogus', peterz], '-show takes'),
                      (['--minimize', '--keep', 'Maybe', peterz], '--keep takes'),
                      (['-png', peterz], '-png/-svg render')]:
        r = run(*args)
        check(r.returncode == 2 and msg in r.stderr, f'{args}: exit {r.returncode}, {r.stderr!r}')
    bad = os.path.join(tmp, 'bad.litmus')
    open(bad, 'w').write('C bad\n{}\nP0(int *x) { smp_mb( }\nexists (x=1)\n')
    r = run('--minimize', bad)
    check(r.returncode == 1 and re.search(r'bad\.litmus:3:\d+: error:', r.stderr), f'bad test: {r.stderr!r}')
    r = run('-explain', bad)
    check(r.returncode == 1 and re.search(r'bad\.litmus:3:\d+: error:', r.stderr), f'bad test -explain: {r.stderr!r}')

for f in failures:
    print('FAIL:', f)
print(f'{len(failures)} failure(s)')
sys.exit(1 if failures else 0)
