#!/usr/bin/env python3
"""Write the seed corpora of the fuzz targets into tests/fuzz/corpus/.

Run from the source root: python3 tests/fuzz/seeds.py. The seeds are
committed; this script says where they came from and makes them again
(leaving the inputs ninja fuzz-long merged, named by their SHA-1).
  annot    every annotate("...") text of the test and example model headers,
           as the preprocessor spells it (clang -E -DCALX_REFLECT)
  reflect  those headers, without their preprocessor lines and comments
           (fuzz_reflect.c skips inputs that #include or #define)
  url      every URL form of README.md
  decode   values at every boundary, for each of the three sources
  sql, uow byte strings from a fixed pseudo-random sequence: both targets
           read their input as a stream of choices (fuzz_bytes.h), so any
           bytes make statements or operations; varied lengths give the
           fuzzer long programs to start from
"""
import glob, hashlib, math, os, random, re, struct, subprocess

OUT = 'tests/fuzz/corpus'
HEADERS = (['tests/models/shop.h', 'tests/models/orders.h', 'examples/chinook/models.h'] + sorted(glob.glob('tests/reflect/fixtures/*.h'))
           + sorted(glob.glob('tests/reflect/bad/*.h')))


def put(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data)


def cstring(s):
    out, i = bytearray(), 0
    simple = {'n': 10, 't': 9, 'r': 13, 'a': 7, 'b': 8, 'f': 12, 'v': 11, '\\': 92, '"': 34, "'": 39, '?': 63}
    while i < len(s):
        c = s[i]
        if c != '\\':
            out += c.encode()
            i += 1
            continue
        e = s[i + 1]
        if e in simple:
            out.append(simple[e])
            i += 2
        elif e == 'x':
            m = re.match(r'[0-9a-fA-F]+', s[i + 2:])
            out.append(int(m.group(0), 16) & 0xff)
            i += 2 + len(m.group(0))
        else:
            m = re.match(r'[0-7]{1,3}', s[i + 1:])
            out.append(int(m.group(0), 8) & 0xff)
            i += 1 + len(m.group(0))
    return bytes(out)


def annot():
    texts = set()
    for h in HEADERS:
        r = subprocess.run(['clang-14', '-E', '-P', '-DCALX_REFLECT', '-Iinclude', '-Itests/reflect/fixtures', h],
                           capture_output=True, text=True)
        for m in re.finditer(r'annotate\(((?:\s*"(?:[^"\\]|\\.)*")+)\s*\)', r.stdout):
            lits = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))
            texts.add(b''.join(cstring(l) for l in lits))
    texts |= {b'calx:field', b'calx:fields()', b'calx:field(unique)(index)', b'calx:mixin(1)', b'calx:type()',
              b'other:tool', b'calx:field(default((1))', b'calx:field(name("a\\0b"))', b'calx:field(check("\\x100"))'}
    for t in sorted(texts):
        put('annot', hashlib.sha1(t).hexdigest()[:16], t)


def reflect():
    for h in HEADERS:
        src = open(h).read()
        src = re.sub(r'/\*.*?\*/', '', src, flags=re.S)
        src = re.sub(r'//[^\n]*', '', src)
        src = '\n'.join(l for l in src.split('\n') if not l.lstrip().startswith('#'))
        if re.search(r'include|import|define|__debug|embed', src):
            continue        # fuzz_reflect.c would skip it
        put('reflect', os.path.basename(os.path.dirname(h)) + '_' + os.path.basename(h), src.strip() + '\n')


def url():
    urls = ['sqlite:app.db', 'sqlite::memory:', 'sqlite:///:memory:', 'sqlite:///rel.db', 'sqlite:////tmp/abs.db',
            'sqlite:', 'sqlite:file:x.db?mode=rwc', 'sqlite:file::memory:?cache=shared', 'sqlite:x.db?a=b',
            'postgresql://user@host:5432/db?opt=v', 'postgres://u:secret@h/db', 'postgresql:host=h port=5432 dbname=d',
            "postgresql:host=h options='-c default_transaction_isolation=serializable'",
            'postgresql://h/db?options=-c%20default_transaction_isolation%3Dserializable',
            'postgresql://[::1]:5432/db', 'postgresql://%2Fvar%2Frun%2Fpostgresql/db', 'postgresql:', 'postgresql://',
            'postgres:', 'postgresql:dbname', 'mysql://x', '', 'SQLITE:x.db', 'sqlite', 'postgresqlx:host=h']
    for i, u in enumerate(urls):
        put('url', '%02d' % i, u)


def decode():
    ints = [0, 1, -1, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535, 65536, 2**31 - 1, 2**31,
            -2**31, -2**31 - 1, 2**32 - 1, 2**32, 2**24, 2**24 + 1, 2**53, 2**53 + 1, 2**63 - 1, -2**63]
    reals = [0.0, -0.0, 0.5, 1.0, -1.0, 3.4028234663852886e+38, 3.4028235677973366e+38, 3.4028235677973362e+38, 1e39,
             -1e39, math.inf, -math.inf, math.nan, 2.0**63, -2.0**63, 2.0**63 - 1024, 1e-300, 5e-324, 2.0**24 + 1,
             255.0, 256.0, 1e308]
    texts = [b'', b'a', b'1234567', b'12345678', b'x' * 63, b'x' * 64, b'\xff', b'a\x00b', b'\xc0\x80',
             b'\xed\xa0\x80', b'\xf4\x90\x80\x80', 'é€😀'.encode(), b'\xe2\x82',
             bytes(range(16)), bytes(range(240, 256)), b'\x00', b'\x7f', b'\x80']
    seeds = []
    for src in (0, 1):
        for kind in range(5):
            sel = kind + (5 * (len(seeds) % 6) if src == 1 else 0)
            for i in (ints if kind == 1 else [0]):
                for d in (reals if kind == 2 else [0.0]):
                    for t in (texts if kind in (3, 4) else [b'']):
                        seeds.append(bytes([src, sel % 256]) + struct.pack('<qd', i, d) + t)
    pg = [b't', b'f', b'', b'0', b'-1', b'32767', b'9223372036854775807', b'-9223372036854775808',
          b'99999999999999999999', b'1e400', b'NaN', b'Infinity', b'-Infinity', b'12.50', b'3.4028235e+38',
          b'\\x4142ff', b'\\x', b'\\x4', b'\\x' + b'00' * 16, b'\\x' + b'ff' * 16, b'\\x00', b'abc\\\\def', b'\\101\\102', b'4294967295', b'\xff']
    # exact decimals (CALX_VALUE_NUMERIC): data[0] 3 and 4 are sources 0 and 1 with the decimal flag
    decimals = [b'0', b'-0', b'0.000', b'1.00000000000000000001', b'9007199254740993', b'9007199254740993.5',
                b'9223372036854775807', b'-9223372036854775808', b'9223372036854775808', b'255.000', b'256',
                b'-1', b'0.1', b'1e400', b'1e-400', b'-1.5e-3', b'3.4028235677973366e38', b'16777217', b'NaN',
                b'Infinity', b'-Infinity', b'inf', b'1' + b'0' * 900 + b'1', b'', b'.', b'1e', b'1,5', b'0x10',
                b'-NaN', b' 1']
    for src in (3, 4):
        for t in decimals:
            seeds.append(bytes([src, 3]) + bytes(16) + t)
    for o in range(11):
        for t in pg:
            seeds.append(bytes([2, o + 11]) + bytes(16) + t)
        seeds.append(bytes([2, o]) + bytes(16))
    for s in seeds:
        put('decode', hashlib.sha1(s).hexdigest()[:16], s)


def choices(target, n, lengths):
    rng = random.Random(target)     # the same seeds on every run
    for i in range(n):
        size = lengths[i % len(lengths)]
        put(target, '%02d' % i, bytes(rng.randrange(256) for _ in range(size)))


# Inputs merged by ninja fuzz-long (tools/fuzz-long.sh) are named by their
# 40-digit SHA-1 and stay; the seeds are rewritten.
for d in glob.glob(OUT + '/*/*'):
    if not re.fullmatch(r'[0-9a-f]{40}', os.path.basename(d)):
        os.unlink(d)
annot()
reflect()
url()
decode()
choices('sql', 32, [8, 24, 64, 128, 256, 512])
choices('uow', 32, [16, 48, 96, 192, 384])
