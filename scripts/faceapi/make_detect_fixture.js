// face-api's own SSD MobileNet v1 detections (locateFaces: boxes in photo pixels and scores) on a
// list of photos, as a JSON fixture for the C port (tests/nn/fixtures/faceapi_ssd.json). Run
// through make_detect_fixture.sh, which installs the npm packages and sets NODE_PATH; by hand:
//   NODE_PATH=DIR/node_modules node make_detect_fixture.js --personrec build/personrec \
//     --data ../shared/datasets --models ../shared/models/faceapi \
//     --photos scripts/faceapi/detect_fixture_photos.txt --out tests/nn/fixtures/faceapi_ssd.json
// Photos are decoded by personrec (`info --rgb`), so the net sees the C side's pixels.
'use strict';

const fs = require('fs');
const path = require('path');
const common = require('./common');

const SSD_FILES = ['ssd_mobilenetv1_model-weights_manifest.json', 'ssd_mobilenetv1_model.bin'];
const OPTIONS = { minConfidence: 0.5, maxResults: 100 }; // face-api's defaults (NMS IoU 0.5 is fixed)

function parseArgs(argv) {
  const args = { backend: 'cpu' };
  for (let i = 0; i < argv.length; i++) args[argv[i].replace(/^--/, '')] = argv[++i];
  for (const k of ['personrec', 'data', 'models', 'photos', 'out']) {
    if (!args[k]) throw new Error(`missing --${k}`);
  }
  return args;
}

function checkSsd(modelDir) {
  const known = {};
  for (const line of fs.readFileSync(path.join(modelDir, 'SOURCE.txt'), 'utf8').split('\n')) {
    const m = line.match(/^([0-9a-f]{64})\s+(\S+)$/);
    if (m) known[m[2]] = m[1];
  }
  const hashes = {};
  for (const f of SSD_FILES) {
    const h = common.sha256(path.join(modelDir, f));
    if (known[f] !== h) throw new Error(`${f}: sha256 ${h}, SOURCE.txt says ${known[f]}`);
    hashes[f] = h;
  }
  return hashes;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const models = checkSsd(args.models);
  const faceapi = await common.loadFaceApi(args.backend);
  await faceapi.nets.ssdMobilenetv1.loadFromDisk(args.models);
  const photos = fs.readFileSync(args.photos, 'utf8').split('\n').map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const scratch = common.makeScratch();
  const out = [];
  try {
    for (const image of photos) {
      const img = common.decodeWithPersonrec(faceapi, args.personrec, path.join(args.data, image), scratch);
      const [height, width] = img.shape;
      const found = await faceapi.nets.ssdMobilenetv1.locateFaces(img, new faceapi.SsdMobilenetv1Options(OPTIONS));
      img.dispose();
      const detections = found.map((d) => ({ x: d.box.x, y: d.box.y, w: d.box.width, h: d.box.height, score: d.score }));
      out.push({ image, width, height, detections });
      process.stderr.write(`${image}: ${detections.length} faces\n`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const meta = {
    format: 'personrec faceapi ssd fixture 1',
    package: '@vladmandic/face-api 1.7.15',
    tfjs: faceapi.tf.version_core,
    backend: args.backend,
    models,
    pixels: 'personrec info --rgb (the C loader\'s RGB)',
    options: { minConfidence: OPTIONS.minConfidence, maxResults: OPTIONS.maxResults, iou: 0.5 },
  };
  const lines = out.map((p) => `    ${JSON.stringify(p)}`);
  const text = `${JSON.stringify(meta, null, 2).replace(/\n}$/, ',')}\n  "photos": [\n${lines.join(',\n')}\n  ]\n}\n`;
  fs.writeFileSync(args.out, text);
}

main().catch((e) => { console.error(e); process.exit(1); });
