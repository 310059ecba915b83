// The dabs method (DESIGN.md §6) as a p5.js sketch, for bench/bench_p5.py with harness.js:
// each touch lays 30 translucent circles (alpha 90) scattered normally around a random point
// (standard deviation 9.6 px), with diameters uniform in 4..16 px, each coloured from the photo
// where it lands. The same parameters as artkit's `dabs` brush at its defaults.
const DABS = 30, LARGEST = 16, SMALLEST = 4, SCATTER_SD = 9.6, DAB_ALPHA = 90;

function prepare() {
  noStroke();
}

function touch() {
  const cx = random(SIZE), cy = random(SIZE);
  for (let i = 0; i < DABS; i++) {
    const x = cx + randomGaussian(0, SCATTER_SD), y = cy + randomGaussian(0, SCATTER_SD);
    const [r, g, b] = colourAt(x, y);
    fill(r, g, b, DAB_ALPHA);
    circle(x, y, random(SMALLEST, LARGEST));
  }
}
