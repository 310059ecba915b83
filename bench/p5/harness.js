// Times one sketch end to end inside headless Chromium for bench/bench_p5.py: from a fresh
// background, N touches, then the canvas encoded as a PNG (toDataURL), the way a p5.js user
// saves a picture. The sketch (flow.js or dabs.js) defines touch() and prepare(); the photo
// (photo.js, written by the bench) arrives as base64 RGB bytes, decoded here before any timing,
// and colourAt() samples it exactly as artkit samples the same fitted picture.
// Everything happens inside setup(), so the result is in the DOM when --dump-dom prints it.
// Query: ?touches=N. Reports a 1-touch run and an N-touch run (the bench subtracts the first,
// as it does for artkit's process).
const SIZE = 1024;
let PHOTO = null;

function decodePhoto() {
  const text = atob(PHOTO_BASE64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function colourAt(x, y) {
  const px = Math.min(SIZE - 1, Math.max(0, Math.floor(x)));
  const py = Math.min(SIZE - 1, Math.max(0, Math.floor(y)));
  const i = (py * SIZE + px) * 3;
  return [PHOTO[i], PHOTO[i + 1], PHOTO[i + 2]];
}

function timed(touches) {
  background(248, 245, 238);
  prepare();
  const start = performance.now();
  for (let i = 0; i < touches; i++) touch();
  // Chromium records canvas calls and rasterises them later: reading a pixel makes it finish
  // drawing everything before the clock moves on.
  drawingContext.getImageData(0, 0, 1, 1);
  const drawn = performance.now();
  const png = document.querySelector('canvas').toDataURL('image/png');
  const end = performance.now();
  return {touches, draw_ms: drawn - start, png_ms: end - drawn, total_ms: end - start,
          png_bytes: Math.round((png.length - 22) * 3 / 4)};
}

function setup() {
  const touches = parseInt(new URLSearchParams(location.search).get('touches') || '1000');
  pixelDensity(1);
  createCanvas(SIZE, SIZE);
  noLoop();
  noiseSeed(1); randomSeed(1); noiseDetail(2, 0.5);
  PHOTO = decodePhoto();
  timed(Math.min(50, touches));   // warm-up: the JIT, the canvas, the PNG encoder
  const one = timed(1);
  const many = timed(touches);
  document.getElementById('result').textContent = JSON.stringify(
    {one, many, p5: p5.prototype.VERSION || p5.VERSION});
}
