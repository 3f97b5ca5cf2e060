// face-api's own landmarks, aligned box and 128-d descriptor for a list of album faces, as a JSON
// fixture for the C port (tests/nn/fixtures/faceapi_album.json). Run through make_fixture.sh,
// which installs the npm packages and sets NODE_PATH; by hand:
//   NODE_PATH=DIR/node_modules node make_fixture.js --personrec build/personrec \
//     --album ../shared/datasets/album --models ../shared/models/faceapi \
//     --faces scripts/faceapi/fixture_faces.csv --out tests/nn/fixtures/faceapi_album.json
// With --check FILE instead of --out it recomputes the faces (e.g. with --backend wasm) and prints
// the largest differences from FILE as JSON. The fixture's format is described in
// tests/nn/fixtures/README.md.
'use strict';

const fs = require('fs');
const path = require('path');
const common = require('./common');

function parseArgs(argv) {
  const args = { backend: 'cpu', crossCheck: true };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].replace(/^--/, '');
    if (key === 'no-cross-check') { args.crossCheck = false; continue; }
    args[key] = argv[++i];
  }
  for (const k of ['personrec', 'album', 'models', 'faces']) {
    if (!args[k]) throw new Error(`missing --${k}`);
  }
  if (!args.out === !args.check) throw new Error('give exactly one of --out FILE and --check FILE');
  return args;
}

const box = (b) => ({ x: b.x, y: b.y, w: b.width, h: b.height });
const maxAbs = (a, b) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
const l2 = (a, b) => Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
const flat = (pts) => pts.flatMap((p) => [p.x, p.y]);

// Runs every face of the list, one decode per photo; calls visit(row, result, img) per face.
async function forEachFace(faceapi, args, rows, visit) {
  const scratch = common.makeScratch();
  try {
    let current = null;
    let img = null;
    for (const row of rows) {
      if (row.image !== current) {
        if (img) img.dispose();
        img = common.decodeWithPersonrec(faceapi, args.personrec, path.join(args.album, row.image), scratch);
        current = row.image;
      }
      const result = await common.runChain(faceapi, img, row);
      await visit(row, result, img);
    }
    if (img) img.dispose();
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

// Numbers as JavaScript prints them: the shortest text that reads back as the same double (float32
// descriptor values thus read back exactly).
function formatFixture(meta, faces) {
  const arr = (a) => `[${a.join(', ')}]`;
  const obj = (o) => JSON.stringify(o).replace(/,"/g, ', "').replace(/":/g, '": ');
  const faceText = faces.map((f) => [
    '    {',
    `      "image": ${JSON.stringify(f.image)}, "person": ${JSON.stringify(f.person)}, "kind": ${JSON.stringify(f.kind)},`,
    `      "box": ${obj(f.box)}, "crop": ${obj(f.crop)},`,
    `      "landmarks": [${f.landmarks.map(arr).join(', ')}],`,
    `      "aligned": ${obj(f.aligned)}, "aligned_crop": ${obj(f.aligned_crop)},`,
    `      "descriptor": ${arr(f.descriptor)}`,
    '    }',
  ].join('\n'));
  const head = JSON.stringify(meta, null, 2).replace(/\n}$/, '');
  return `${head},\n  "faces": [\n${faceText.join(',\n')}\n  ]\n}\n`;
}

async function makeFixture(faceapi, args, rows) {
  const faces = [];
  // Faces on which the library's task route gives the same numbers; those where it does not must
  // all be explained by its one-pixel-lower crop (see common.runLibraryTasks).
  const cross = { faces: 0, identical: 0, crop_floored_lower: 0, unexplained: 0 };
  await forEachFace(faceapi, args, rows, async (row, r, img) => {
    faces.push({
      image: row.image, person: row.person, kind: row.kind,
      box: { x: row.x, y: row.y, w: row.w, h: row.h }, crop: box(r.crop),
      landmarks: r.landmarks.positions.map((p) => [p.x, p.y]),
      aligned: box(r.aligned), aligned_crop: box(r.alignedCrop),
      descriptor: Array.from(r.descriptor),
    });
    if (args.crossCheck) {
      const lib = await common.runLibraryTasks(faceapi, img, row);
      const same = maxAbs(flat(r.landmarks.positions), flat(lib.landmarks.positions)) < 1e-9
        && maxAbs(Array.from(r.descriptor), Array.from(lib.descriptor)) === 0;
      const shifted = JSON.stringify(box(lib.crop)) !== JSON.stringify(box(r.crop));
      cross.faces++;
      if (same) cross.identical++;
      else if (shifted) cross.crop_floored_lower++;
      else cross.unexplained++;
      if (!same) process.stderr.write(`  task route differs (crop ${JSON.stringify(box(lib.crop))})\n`);
    }
    process.stderr.write(`${faces.length}/${rows.length} ${row.image}\n`);
  });
  const meta = {
    format: 'personrec faceapi fixture 1',
    package: '@vladmandic/face-api@1.7.15 (dist/face-api.node-wasm.js)',
    tfjs: faceapi.tf.version_core,
    backend: faceapi.tf.getBackend(),
    models: common.checkModels(args.models),
    pixels: 'decoded by personrec info --rgb (the C side\'s loader), given to face-api as an int32 [H,W,3] tensor',
    chain: 'extractFaceTensors(box) -> faceLandmark68Net.detectLandmarks -> shiftBy(box.x, box.y) -> '
      + 'align(null, {useDlibAlignment: true}) -> extractFaceTensors -> faceRecognitionNet.computeFaceDescriptor',
    cross_check: args.crossCheck ? {
      what: 'the same faces through DetectAllFaceLandmarksTask(...).withFaceDescriptors() with a '
        + 'FaceDetection made from the box: identical, or its crop floored one pixel lower after the '
        + 'relative round trip x / W * W, or unexplained (must be 0)',
      ...cross,
    } : null,
  };
  if (cross.unexplained) throw new Error(`${cross.unexplained} faces differ between runChain and the library's tasks`);
  fs.writeFileSync(`${args.out}.tmp`, formatFixture(meta, faces));
  fs.renameSync(`${args.out}.tmp`, args.out);
}

async function checkFixture(faceapi, args, rows) {
  const fixture = JSON.parse(fs.readFileSync(args.check, 'utf8'));
  const worst = { backend: faceapi.tf.getBackend(), faces: 0, landmark_max_abs_px: 0, descriptor_max_l2: 0, aligned_differ: 0 };
  let i = 0;
  await forEachFace(faceapi, args, rows, async (row, r) => {
    const f = fixture.faces[i++];
    if (f.image !== row.image || f.box.x !== row.x) throw new Error(`fixture face ${i} is not ${row.image}`);
    worst.faces++;
    worst.landmark_max_abs_px = Math.max(worst.landmark_max_abs_px, maxAbs(flat(r.landmarks.positions), f.landmarks.flat()));
    worst.descriptor_max_l2 = Math.max(worst.descriptor_max_l2, l2(Array.from(r.descriptor), f.descriptor));
    if (JSON.stringify(box(r.aligned)) !== JSON.stringify(f.aligned)) worst.aligned_differ++;
  });
  process.stdout.write(`${JSON.stringify(worst)}\n`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const faceapi = await common.loadFaceApi(args.backend, 1);
  common.checkModels(args.models);
  await common.loadNets(faceapi, args.models);
  const rows = common.readFaceList(args.faces);
  if (args.out) await makeFixture(faceapi, args, rows);
  else await checkFixture(faceapi, args, rows);
}

main().catch((e) => { console.error(`make_fixture: ${e.message}`); process.exit(1); });
