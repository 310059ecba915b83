// The hairy-portrait flow method (DESIGN.md §6) as a p5.js sketch, timed for a fixed wall time.
// Clumps of 8 hairs start around random points; each hair walks 12 steps of 4 px along the
// angle of 2-D noise, and every step is its own round-capped line() (weight 2, alpha 60) in the
// colour of a synthetic gradient "source" under the clump's centre. Same parameters as artkit's
// `flow` brush at its defaults (2.5 noise features across the canvas, angle swing 2 turns,
// 2 octaves, hairs scattered with sd 3 px), so both draw the same amount of the same work.
const SIZE = 1024, LINES = 8, STEPS = 12, STEP = 4, WEIGHT = 2, ALPHA = 60;
const FIELD = 2.5 / SIZE, TURNS = 2, SCATTER_SD = 3;

function sourceColour(x, y) {
  // A smooth diagonal gradient with a soft bright disc in the middle, instead of a photo.
  const d = Math.hypot(x - SIZE / 2, y - SIZE / 2) / SIZE;
  const glow = Math.max(0, 1 - 2.5 * d);
  return [40 + 180 * x / SIZE + 35 * glow, 60 + 120 * y / SIZE + 60 * glow,
          170 - 110 * x / SIZE + 50 * glow];
}

function paintClump() {
  const cx = random(SIZE), cy = random(SIZE);
  const [r, g, b] = sourceColour(cx, cy);
  stroke(r, g, b, ALPHA);
  for (let i = 0; i < LINES; i++) {
    let x = cx + randomGaussian(0, SCATTER_SD), y = cy + randomGaussian(0, SCATTER_SD);
    for (let s = 0; s < STEPS; s++) {
      const a = noise(x * FIELD, y * FIELD) * TWO_PI * TURNS;
      const nx = x + Math.cos(a) * STEP, ny = y + Math.sin(a) * STEP;
      line(x, y, nx, ny);
      x = nx; y = ny;
    }
  }
  return LINES * STEPS;
}

function setup() {
  const seconds = parseFloat(new URLSearchParams(location.search).get('seconds') || '3');
  pixelDensity(1);
  createCanvas(SIZE, SIZE);
  noLoop();
  noiseSeed(1); randomSeed(1); noiseDetail(2, 0.5);
  background(250, 247, 240);
  strokeWeight(WEIGHT);  // round caps are p5's default
  for (let i = 0; i < 50; i++) paintClump();  // warm-up (JIT, canvas allocation)
  drawingContext.getImageData(0, 0, 1, 1);
  let segments = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < seconds * 1000) {
    for (let i = 0; i < 20; i++) segments += paintClump();
    elapsed = performance.now() - start;
  }
  // Chromium records canvas calls and rasterises them later: reading a pixel makes it finish
  // drawing everything before the clock stops.
  drawingContext.getImageData(0, 0, 1, 1);
  elapsed = (performance.now() - start) / 1000;
  document.getElementById('result').textContent = JSON.stringify(
    {segments, seconds: elapsed, rate: segments / elapsed, p5: p5.prototype.VERSION || p5.VERSION});
}
