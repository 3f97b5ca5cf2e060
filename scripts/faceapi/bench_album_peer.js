// The peer of `personrec bench album`: face-api's whole per-photo pipeline (SSD MobileNet v1
// detection, 68 landmarks, 128-d descriptor; tfjs wasm backend, one thread, in node) on the same
// photos, timed per photo. Run through bench_album_peer.sh (packages, NODE_PATH); by hand:
//   NODE_PATH=DIR/node_modules node bench_album_peer.js --personrec build/personrec \
//     --models DIR --list PHOTOS.txt [--backend wasm|cpu] [--threads 1]
// PHOTOS.txt: one photo path per line. Photos are decoded by personrec (`info --rgb`) before the
// clock starts (node has no JPEG decoder without tfjs-node), so the peer's figures leave decoding
// out. Per photo, in wall and process CPU time: detection (faceapi.detectAllFaces with the SSD's
// default options, min score 0.5), then landmarks + descriptor of every face it found (the
// library's own tasks on those detections). One warm-up photo first (wasm compiles its kernels).
// Prints one JSON object on stdout.
'use strict';

const fs = require('fs');
const path = require('path');
const { performance } = require('perf_hooks');
const common = require('./common');

function parseArgs(argv) {
  const args = { backend: 'wasm', threads: '1' };
  for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const k of ['personrec', 'models', 'list']) if (!args[k]) throw new Error(`missing --${k}`);
  args.threads = parseInt(args.threads, 10) || 1;
  return args;
}

const clock = () => { const c = process.cpuUsage(); return { wall: performance.now(), cpu: (c.user + c.system) / 1000 }; };
const round = (x) => Math.round(x * 1000) / 1000;
const sum = (v) => v.reduce((a, b) => a + b, 0);

async function onePhoto(faceapi, img) {
  const t0 = clock();
  const dets = await faceapi.detectAllFaces(img, new faceapi.SsdMobilenetv1Options());
  const t1 = clock();
  let faces = 0;
  if (dets.length) {
    const parent = Promise.resolve(dets.map((detection) => ({ detection })));
    const res = await new faceapi.DetectAllFaceLandmarksTask(parent, img, false).withFaceDescriptors();
    faces = res.length;
  }
  const t2 = clock();
  return { faces, detect: t1.wall - t0.wall, chain: t2.wall - t1.wall,
           cpu_detect: t1.cpu - t0.cpu, cpu_chain: t2.cpu - t1.cpu };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const faceapi = await common.loadFaceApi(args.backend, args.threads);
  common.checkModels(args.models);
  await common.loadNets(faceapi, args.models);
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(args.models);
  const files = fs.readFileSync(args.list, 'utf8').split('\n').filter((l) => l.trim() !== '');
  if (!files.length) throw new Error(`${args.list}: no photos`);
  const scratch = common.makeScratch();
  const runs = [];
  try {
    for (let i = 0; i < files.length; i++) {
      const img = common.decodeWithPersonrec(faceapi, args.personrec, path.resolve(files[i]), scratch);
      if (i === 0) await onePhoto(faceapi, img); // warm-up
      runs.push(await onePhoto(faceapi, img));
      img.dispose();
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const n = runs.length;
  const pick = (k) => sum(runs.map((r) => r[k])) / n;
  const wall = pick('detect') + pick('chain');
  process.stdout.write(`${JSON.stringify({
    peer: '@vladmandic/face-api@1.7.15 (SSD MobileNet v1 + landmarks + descriptor)',
    tfjs: faceapi.tf.version_core,
    backend: faceapi.tf.getBackend(),
    threads: args.backend === 'wasm' ? args.threads : 1,
    node: process.version,
    photos: n,
    faces: sum(runs.map((r) => r.faces)),
    ms_per_photo: round(wall),
    detect_ms: round(pick('detect')),
    landmarks_descriptor_ms: round(pick('chain')),
    photos_per_s: round(1000 / wall),
    cpu_ms_per_photo: round(pick('cpu_detect') + pick('cpu_chain')),
    cpu_detect_ms: round(pick('cpu_detect')),
    cpu_landmarks_descriptor_ms: round(pick('cpu_chain')),
    decode: 'not timed (personrec info --rgb before the clock)',
  })}\n`);
}

main().catch((e) => { console.error(`bench_album_peer: ${e.message}`); process.exit(1); });
