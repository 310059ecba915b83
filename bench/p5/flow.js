// The hairy-portrait flow method (DESIGN.md §6) as a p5.js sketch, for bench/bench_p5.py
// with harness.js. Clumps of 8 hairs start around random points; each hair walks 12 steps of
// 4 px along the angle of 2-D noise, and every step is its own round-capped line() (weight 2,
// alpha 60) in the colour of the photo under the clump's centre. Same parameters as artkit's
// `flow` brush at its defaults (2.5 noise features across the canvas, angle swing 2 turns,
// 2 octaves, hairs scattered with sd 3 px), so both draw the same amount of the same work.
const LINES = 8, STEPS = 12, STEP = 4, WEIGHT = 2, ALPHA = 60;
const FIELD = 2.5 / SIZE, TURNS = 2, SCATTER_SD = 3;

function prepare() {
  strokeWeight(WEIGHT);  // round caps are p5's default
}

function touch() {
  const cx = random(SIZE), cy = random(SIZE);
  const [r, g, b] = colourAt(cx, cy);
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
