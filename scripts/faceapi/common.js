// Shared helpers of make_fixture.js and bench_peer.js (node, CommonJS): load face-api with a
// chosen tfjs backend, load the landmark and recognition nets from a model folder (sha256 checked
// against its SOURCE.txt), decode photos with personrec's own decoder (`personrec info --rgb`,
// so the library sees exactly the pixels the C side sees), and run face-api's descriptor chain on
// one face box, step by step as the library's own tasks do it.
//
// The npm packages are not part of the repository: NODE_PATH (set by the .sh wrappers) points at
// a node_modules folder holding @vladmandic/face-api and the @tensorflow packages it needs.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFileSync } = require('child_process');

const MODEL_FILES = [
  'face_landmark_68_model-weights_manifest.json',
  'face_landmark_68_model.bin',
  'face_recognition_model-weights_manifest.json',
  'face_recognition_model.bin',
];

// face-api built against @tensorflow/tfjs + tfjs-backend-wasm (no native tfjs-node). Both the
// pure-JS 'cpu' and the 'wasm' backend are registered by it.
async function loadFaceApi(backend, threads) {
  if (backend === 'wasm' && threads) {
    // Read by the wasm backend when it initialises; one thread keeps the peer figure comparable
    // with our single-thread run.
    const wasm = require('@tensorflow/tfjs-backend-wasm');
    wasm.setThreadsCount(threads);
  }
  const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
  if (!(await faceapi.tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} failed to start`);
  await faceapi.tf.ready();
  return faceapi;
}

function sha256(file) {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

// Checks the four model files against the hashes in modelDir/SOURCE.txt; returns {file: sha256}.
function checkModels(modelDir) {
  const known = {};
  for (const line of fs.readFileSync(path.join(modelDir, 'SOURCE.txt'), 'utf8').split('\n')) {
    const m = line.match(/^([0-9a-f]{64})\s+(\S+)$/);
    if (m) known[m[2]] = m[1];
  }
  const hashes = {};
  for (const f of MODEL_FILES) {
    const h = sha256(path.join(modelDir, f));
    if (known[f] !== h) throw new Error(`${path.join(modelDir, f)}: sha256 ${h}, SOURCE.txt says ${known[f]}`);
    hashes[f] = h;
  }
  return hashes;
}

async function loadNets(faceapi, modelDir) {
  await faceapi.nets.faceLandmark68Net.loadFromDisk(modelDir);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(modelDir);
}

// Binary PPM (P6, maxval 255) as written by `personrec info --rgb`: {width, height, data}.
function readPpm(file) {
  const b = fs.readFileSync(file);
  const fields = [];
  let i = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(b[i]))) i++;
    const start = i;
    while (!/\s/.test(String.fromCharCode(b[i]))) i++;
    fields.push(b.toString('latin1', start, i));
  }
  i++; // the single whitespace byte before the pixels
  const [magic, w, h, maxval] = [fields[0], +fields[1], +fields[2], +fields[3]];
  if (magic !== 'P6' || maxval !== 255 || b.length - i !== w * h * 3) throw new Error(`${file}: not a P6 of ${w}x${h} 8-bit pixels`);
  return { width: w, height: h, data: b.subarray(i) };
}

// Decodes a photo with personrec's loader; returns an int32 [H, W, 3] tensor (what
// tf.node.decodeImage would give, but with the C side's pixels). The caller disposes it.
function decodeWithPersonrec(faceapi, personrec, image, scratch) {
  const out = path.join(scratch, 'decoded.ppm');
  execFileSync(personrec, ['info', '--rgb', out, '--', image], { stdio: ['ignore', 'ignore', 'inherit'] });
  const ppm = readPpm(out);
  fs.unlinkSync(out);
  return faceapi.tf.tensor3d(Int32Array.from(ppm.data), [ppm.height, ppm.width, 3], 'int32');
}

// face-api's chain on one box, as DetectAllFaceLandmarksTask + ComputeAllFaceDescriptorsTask do
// it, but with the box given as a Rect (integer pixels, no detector-relative round trip):
//   extractFaceTensors (clip to the image, floor) -> faceLandmark68Net.detectLandmarks ->
//   shiftBy(box.x, box.y) (the box as given, not as clipped) -> align(null, {useDlibAlignment}) ->
//   extractFaceTensors -> faceRecognitionNet.computeFaceDescriptor.
// Returns {crop, landmarks: FaceLandmarks68, aligned: Rect, alignedCrop, descriptor: Float32Array}.
async function runChain(faceapi, img, box) {
  const rect = new faceapi.Rect(box.x, box.y, box.w, box.h);
  const [H, W] = img.shape;
  const crop = rect.clipAtImageBorders(W, H);
  const [face] = await faceapi.extractFaceTensors(img, [rect]);
  const unshifted = await faceapi.nets.faceLandmark68Net.detectLandmarks(face);
  face.dispose();
  const landmarks = unshifted.shiftBy(box.x, box.y);
  const aligned = landmarks.align(null, { useDlibAlignment: true });
  const alignedCrop = aligned.clipAtImageBorders(W, H);
  const [alignedFace] = await faceapi.extractFaceTensors(img, [aligned]);
  const descriptor = await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(alignedFace);
  alignedFace.dispose();
  return { crop, landmarks, aligned, alignedCrop, descriptor };
}

// The same face through the library's own task objects (a FaceDetection built from the box, as a
// detector would give it), for a cross-check of runChain. Returns {crop, landmarks, descriptor};
// crop is the clipped box that route cuts out: the box goes through relative coordinates there
// (x / W * W), which can come back just below an integer and then floor one pixel lower.
async function runLibraryTasks(faceapi, img, box) {
  const [H, W] = img.shape;
  const rel = new faceapi.Rect(box.x / W, box.y / H, box.w / W, box.h / H);
  const detection = new faceapi.FaceDetection(1, rel, { width: W, height: H });
  const parent = Promise.resolve([{ detection }]);
  const task = new faceapi.DetectAllFaceLandmarksTask(parent, img, false).withFaceDescriptors();
  const [res] = await task;
  const crop = detection.forSize(W, H).box.clipAtImageBorders(W, H);
  return { crop, landmarks: res.landmarks, descriptor: res.descriptor };
}

// image,x,y,w,h,... CSV with a header line (the album's truth.csv format); returns row objects.
function readFaceList(file) {
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const head = lines[0].split(',');
  return lines.slice(1).map((l) => {
    const cells = l.split(',');
    const row = {};
    head.forEach((k, i) => { row[k] = cells[i]; });
    for (const k of ['x', 'y', 'w', 'h']) row[k] = Number(row[k]);
    return row;
  });
}

function makeScratch() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'faceapi-'));
}

module.exports = {
  MODEL_FILES, loadFaceApi, checkModels, loadNets, decodeWithPersonrec, runChain, runLibraryTasks,
  readFaceList, makeScratch, sha256,
};
