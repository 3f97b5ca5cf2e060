// Times face-api's landmarks + descriptor per face (tfjs wasm backend, one thread) on a list of
// faces, for comparison with personrec's own nets in the same run. Run through bench_peer.sh
// (which installs the packages and sets NODE_PATH); by hand:
//   NODE_PATH=DIR/node_modules node bench_peer.js --personrec build/personrec --models DIR \
//     --faces FACES.csv [--root DIR] [--repeat N] [--backend wasm|cpu] [--threads 1]
// FACES.csv: header line, then image,x,y,w,h[,...] rows (the album's truth.csv format); image
// paths are relative to --root (default: the CSV's folder). Photos are decoded by personrec
// before any timing. Per face it times the whole chain (crop, landmark net, dlib-style aligned box,
// crop, descriptor net; what common.runChain does) and the two nets alone, in wall and in process
// CPU time, after one warm-up pass over all faces (wasm compiles its kernels then). Prints one
// JSON object on stdout.
'use strict';

const path = require('path');
const { performance } = require('perf_hooks');
const common = require('./common');

function parseArgs(argv) {
  const args = { backend: 'wasm', threads: '1', repeat: '3' };
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['personrec', 'models', 'faces']) if (!args[k]) throw new Error(`missing --${k}`);
  args.root = args.root || path.dirname(path.resolve(args.faces));
  args.repeat = Math.max(1, parseInt(args.repeat, 10) || 1);
  args.threads = parseInt(args.threads, 10) || 1;
  return args;
}

const median = (v) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const round = (x) => Math.round(x * 1000) / 1000;

// Wall and CPU clocks in ms. CPU time is the process's user + system time: on a shared, loaded
// machine it stays near the unloaded figure while the wall time grows.
const clock = () => { const c = process.cpuUsage(); return { wall: performance.now(), cpu: (c.user + c.system) / 1000 }; };

// One timed pass over every face; returns per-face {chain, landmarks, descriptor} and
// {cpu_chain, cpu_landmarks, cpu_descriptor} in ms.
async function timePass(faceapi, faces) {
  const out = [];
  for (const { img, box } of faces) {
    const t0 = clock();
    const r = await common.runChain(faceapi, img, box);
    const t1 = clock();
    // The two nets alone, on the crops the chain used (tensor slicing outside the clock).
    const [face] = await faceapi.extractFaceTensors(img, [new faceapi.Rect(box.x, box.y, box.w, box.h)]);
    const [aligned] = await faceapi.extractFaceTensors(img, [r.aligned]);
    const t2 = clock();
    await faceapi.nets.faceLandmark68Net.detectLandmarks(face);
    const t3 = clock();
    await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(aligned);
    const t4 = clock();
    face.dispose();
    aligned.dispose();
    out.push({
      chain: t1.wall - t0.wall, landmarks: t3.wall - t2.wall, descriptor: t4.wall - t3.wall,
      cpu_chain: t1.cpu - t0.cpu, cpu_landmarks: t3.cpu - t2.cpu, cpu_descriptor: t4.cpu - t3.cpu,
    });
  }
  return out;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const faceapi = await common.loadFaceApi(args.backend, args.threads);
  common.checkModels(args.models);
  await common.loadNets(faceapi, args.models);
  const rows = common.readFaceList(args.faces);
  if (!rows.length) throw new Error(`${args.faces}: no faces`);
  const scratch = common.makeScratch();
  const images = new Map(); // one decode per photo
  const faces = rows.map((row) => {
    if (!images.has(row.image)) {
      const file = path.isAbsolute(row.image) ? row.image : path.join(args.root, row.image);
      images.set(row.image, common.decodeWithPersonrec(faceapi, args.personrec, file, scratch));
    }
    return { img: images.get(row.image), box: row };
  });
  require('fs').rmSync(scratch, { recursive: true, force: true });

  await timePass(faceapi, faces); // warm-up
  const runs = [];
  for (let i = 0; i < args.repeat; i++) runs.push(...(await timePass(faceapi, faces)));
  const pick = (k) => runs.map((r) => r[k]);
  const result = {
    peer: '@vladmandic/face-api@1.7.15',
    tfjs: faceapi.tf.version_core,
    backend: faceapi.tf.getBackend(),
    threads: args.backend === 'wasm' ? args.threads : 1,
    node: process.version,
    // Which wasm binary tfjs picked (SIMD roughly halves the time).
    wasm_simd: args.backend === 'wasm' ? await faceapi.tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : null,
    faces: faces.length,
    repeat: args.repeat,
    ms_per_face: round(median(pick('chain'))),
    ms_per_face_mean: round(mean(pick('chain'))),
    landmarks_ms: round(median(pick('landmarks'))),
    descriptor_ms: round(median(pick('descriptor'))),
    faces_per_s: round(1000 / mean(pick('chain'))),
    cpu_ms_per_face: round(median(pick('cpu_chain'))),
    cpu_landmarks_ms: round(median(pick('cpu_landmarks'))),
    cpu_descriptor_ms: round(median(pick('cpu_descriptor'))),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((e) => { console.error(`bench_peer: ${e.message}`); process.exit(1); });
