/* Line marks (hairs) drawn straight into an RGBA canvas, a whole batch a call (artkit.strokes).

   skia draws one clump of hairs as one stroked path: it turns the stroke into an outline and
   fills that with analytic antialiasing, most of the time going to scan-converting outlines.
   Here a run of marks (one clump: equal group, colour and width, which come from its first
   mark) wider than 1 px is drawn as:

   - its coverage, in a scratch buffer over the run's bounding box: each segment is a capsule
     (round caps, so round joins come free) covering a pixel by the overlap of [d - w/2,
     d + w/2] with [-1/2, 1/2], d the distance from the pixel's centre to the segment. Within
     a mark a pixel keeps the largest coverage of its segments (joints don't count twice);
     marks are joined by join_coverage. The union is blended once, as skia fills one path,
     so hairs of a clump don't darken where they cross;
   - one "source over" blend of the run's premultiplied colour times that coverage, with
     skia's rounding (blend(), measured byte for byte).

   Widths of 1 px or less are what skia draws as an antialiased hairline with the paint's
   alpha scaled by the width, each segment blended on its own: so are they here
   (blend_hairline), with skia's round-cap outset at the ends of each mark.

   Quadratic curves are cut into straight pieces, enough for the chord to stay within
   CURVE_TOLERANCE px of the curve; the count depends on the curve alone.

   A pixel's value depends only on the marks drawn and their order, never on the row range
   asked for, so bands drawn apart (artkit.parallel) join into the same bytes. The inner
   loops take four pixels (coverage, blend) or sixteen bytes (joins) at a time with SSE2,
   with the same arithmetic as the plain loops used elsewhere. */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "_buffers.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* SSE2 where the compiler has it (all x86-64); HAIRS_NO_SIMD builds the plain loops, which
   give the same bytes. */
#if !defined(HAIRS_NO_SIMD) && \
    (defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2))
#include <emmintrin.h>
#define HAIRS_SSE2 1
#endif

#define CURVE_TOLERANCE 0.1f /* px between a curve and its straight pieces */
#define MAX_CURVE_PIECES 256
#define ROW_MARGIN 0.01f /* px: a row's pixel range is widened by this, for rounding */
#define MIN_SOLID_FILL 6.0f /* px: capsules with a solid core this wide (13 px wide and more)
                               fill it row by row; thinner ones are quicker measured whole */
#define CLIP_MARGIN 2.0f /* px beyond a mark's reach that segments are cut at */
#define SCRATCH_SLACK 16 /* bytes past the end of a scratch buffer, for vector loops */

typedef struct {
    float ax, ay, bx, by;
} Segment;

typedef struct {
    Segment *items;
    size_t count, capacity;
} Segments;

/* The pixels being drawn and the rows that may be written. */
typedef struct {
    uint8_t *pixels;
    long width, height, top, bottom;
} Target;

/* A coverage buffer for one bounding box, and the span of each of its rows that holds
   non-zero coverage. Kept all zero between groups, so only spans need clearing. */
typedef struct {
    uint8_t *cover, *mark;
    size_t cover_size;
    long *span_lo, *span_hi, *mark_lo, *mark_hi;
    size_t rows_size;
} Scratch;

static unsigned int div255_round(unsigned int v);

/* A colour ready to blend: premultiplied channels and alpha. */
typedef struct {
    unsigned int premul[4];
    unsigned int alpha;
} Ink;

static int
push_segment(Segments *s, float ax, float ay, float bx, float by)
{
    if (s->count == s->capacity) {
        size_t capacity = s->capacity ? 2 * s->capacity : 256;
        Segment *items = (Segment *)realloc(s->items, capacity * sizeof(Segment));
        if (items == NULL)
            return 0;
        s->items = items;
        s->capacity = capacity;
    }
    s->items[s->count].ax = ax;
    s->items[s->count].ay = ay;
    s->items[s->count].bx = bx;
    s->items[s->count].by = by;
    s->count++;
    return 1;
}

/* Straight pieces of the quadratic from (sx, sy) bending towards (cx, cy) to (ex, ey). */
static int
push_quad(Segments *s, float sx, float sy, float cx, float cy, float ex, float ey)
{
    /* The curve strays from its chord by at most |s - 2c + e| / 4; a piece of 1/n of it
       by that over n squared. */
    float bend_x = sx - 2.0f * cx + ex, bend_y = sy - 2.0f * cy + ey;
    float pieces = ceilf(sqrtf(sqrtf(bend_x * bend_x + bend_y * bend_y) /
                               (4.0f * CURVE_TOLERANCE)));
    int n, k;
    float px = sx, py = sy;

    if (!(pieces >= 1.0f))
        pieces = 1.0f;
    if (pieces > MAX_CURVE_PIECES)
        pieces = MAX_CURVE_PIECES;
    n = (int)pieces;
    for (k = 1; k <= n; k++) {
        float t = (float)k / (float)n, u = 1.0f - t;
        float qx = k == n ? ex : u * u * sx + 2.0f * t * u * cx + t * t * ex;
        float qy = k == n ? ey : u * u * sy + 2.0f * t * u * cy + t * t * ey;
        if (!push_segment(s, px, py, qx, qy))
            return 0;
        px = qx;
        py = qy;
    }
    return 1;
}

/* The segments of one mark of `n_points` points: a polyline, or (curves) the quadratic
   B-spline artkit.strokes._path_geometry gives skia. Zero-length pieces are left out
   unless the whole mark is one point, which skia draws as a round dot. */
static int
push_mark(Segments *s, const float *p, Py_ssize_t n_points, int curves)
{
    size_t first = s->count, k, kept;
    Py_ssize_t i;

    if (n_points == 1)
        return push_segment(s, p[0], p[1], p[0], p[1]);
    if (curves && n_points > 2) {
        float x = p[0], y = p[1];
        for (i = 1; i < n_points - 1; i++) {
            float mx = (p[2 * i] + p[2 * i + 2]) * 0.5f;
            float my = (p[2 * i + 1] + p[2 * i + 3]) * 0.5f;
            if (!push_quad(s, x, y, p[2 * i], p[2 * i + 1], mx, my))
                return 0;
            x = mx;
            y = my;
        }
        if (!push_segment(s, x, y, p[2 * n_points - 2], p[2 * n_points - 1]))
            return 0;
    } else {
        for (i = 1; i < n_points; i++)
            if (!push_segment(s, p[2 * i - 2], p[2 * i - 1], p[2 * i], p[2 * i + 1]))
                return 0;
    }
    for (k = kept = first; k < s->count; k++) {
        Segment g = s->items[k];
        if (g.ax != g.bx || g.ay != g.by)
            s->items[kept++] = g;
    }
    if (kept == first) { /* every piece has length 0: a dot */
        s->count = first + 1;
        return 1;
    }
    s->count = kept;
    return 1;
}

static int
all_finite(const float *p, Py_ssize_t n)
{
    Py_ssize_t i;
    for (i = 0; i < n; i++)
        if (!isfinite(p[i]))
            return 0;
    return 1;
}

static void
scratch_free(Scratch *sc)
{
    free(sc->cover);
    free(sc->mark);
    free(sc->span_lo);
    free(sc->span_hi);
    free(sc->mark_lo);
    free(sc->mark_hi);
}

static int
scratch_fit(Scratch *sc, size_t cells, size_t rows)
{
    if (cells > sc->cover_size) {
        free(sc->cover);
        free(sc->mark);
        /* SCRATCH_SLACK: the vector loops read and write (unchanged) a little past a row. */
        sc->cover = (uint8_t *)calloc(cells + SCRATCH_SLACK, 1);
        sc->mark = (uint8_t *)calloc(cells + SCRATCH_SLACK, 1);
        sc->cover_size = (sc->cover && sc->mark) ? cells : 0;
        if (sc->cover_size == 0)
            return 0;
    }
    if (rows > sc->rows_size) {
        free(sc->span_lo);
        free(sc->span_hi);
        free(sc->mark_lo);
        free(sc->mark_hi);
        sc->span_lo = (long *)malloc(rows * sizeof(long));
        sc->span_hi = (long *)malloc(rows * sizeof(long));
        sc->mark_lo = (long *)malloc(rows * sizeof(long));
        sc->mark_hi = (long *)malloc(rows * sizeof(long));
        sc->rows_size = (sc->span_lo && sc->span_hi && sc->mark_lo && sc->mark_hi) ? rows : 0;
        if (sc->rows_size == 0)
            return 0;
    }
    return 1;
}

/* The smaller and larger of two floats (fminf and fmaxf are library calls unless NaN may be
   ignored, which only -ffast-math says). */
static float
min_f(float a, float b)
{
    return a < b ? a : b;
}

static float
max_f(float a, float b)
{
    return a > b ? a : b;
}

/* floor(v) as an index clamped to [lo, hi] (NaN gives lo). */
static long
floor_index(float v, long lo, long hi)
{
    long i;
    if (!(v > (float)lo))
        return lo;
    if (v >= (float)hi)
        return hi;
    i = (long)v;
    return (float)i > v ? i - 1 : i;
}

/* ceil(v) as an index clamped to [lo, hi] (NaN gives lo). */
static long
ceil_index(float v, long lo, long hi)
{
    long i;
    if (!(v > (float)lo))
        return lo;
    if (v >= (float)hi)
        return hi;
    i = (long)v;
    return (float)i < v ? i + 1 : i;
}

/* A capsule (a segment of diameter `width` with round ends) ready for rows of pixels. Along
   the segment t (0 at a, 1 at b) and across it the signed distance s, both linear in a
   pixel's offset (px, py) from a. */
typedef struct {
    float ax, ay, dx, dy, length, reach, solid;
    float t_x, t_y, n_x, n_y, inv_t_x, inv_n_x;
} Capsule;

static Capsule
make_capsule(const Segment *g, float width)
{
    Capsule k;
    float length2;
    k.ax = g->ax;
    k.ay = g->ay;
    k.dx = g->bx - g->ax;
    k.dy = g->by - g->ay;
    length2 = k.dx * k.dx + k.dy * k.dy;
    k.length = sqrtf(length2);
    k.reach = width * 0.5f + 0.5f;
    k.solid = width * 0.5f - 0.5f;
    /* A dot (length 0) is all "before a". */
    k.t_x = length2 > 0.0f ? k.dx / length2 : 0.0f;
    k.t_y = length2 > 0.0f ? k.dy / length2 : 0.0f;
    k.n_x = k.length > 0.0f ? k.dy / k.length : 0.0f;
    k.n_y = k.length > 0.0f ? k.dx / k.length : 0.0f;
    k.inv_t_x = k.t_x != 0.0f ? 1.0f / k.t_x : 0.0f;
    k.inv_n_x = k.n_x != 0.0f ? 1.0f / k.n_x : 0.0f;
    return k;
}

/* [*lo, *hi] widened to hold [a, b] (in either order). */
static void
hull(float a, float b, float *lo, float *hi)
{
    *lo = min_f(*lo, min_f(a, b));
    *hi = max_f(*hi, max_f(a, b));
}

/* The offsets px along the row py where the capsule's coverage is whole (the pixel lies
   within its solid core: distance <= width/2 - 1/2): [*lo, *hi], empty when lo > hi. The
   core is convex, so this is the hull of what its body and its two end discs give. */
static void
solid_span(const Capsule *k, float py, float *lo, float *hi)
{
    float solid2 = k->solid * k->solid, py_b = py - k->dy;
    *lo = INFINITY;
    *hi = -INFINITY;
    if (k->solid <= 0.0f)
        return;
    if (py * py <= solid2) {
        float h = sqrtf(solid2 - py * py);
        hull(-h, h, lo, hi);
    }
    if (py_b * py_b <= solid2) {
        float h = sqrtf(solid2 - py_b * py_b);
        hull(k->dx - h, k->dx + h, lo, hi);
    }
    if (k->length > 0.0f) {
        /* Beside the segment (0 <= t <= 1) and within `solid` of its line. */
        float t_row = py * k->t_y, n_row = py * k->n_y;
        float body_lo = -INFINITY, body_hi = INFINITY;
        if (k->t_x != 0.0f) {
            float a = -t_row * k->inv_t_x, b = (1.0f - t_row) * k->inv_t_x;
            body_lo = min_f(a, b);
            body_hi = max_f(a, b);
        } else if (t_row < 0.0f || t_row > 1.0f) {
            return;
        }
        if (k->n_x != 0.0f) {
            float a = (n_row - k->solid) * k->inv_n_x, b = (n_row + k->solid) * k->inv_n_x;
            body_lo = max_f(body_lo, min_f(a, b));
            body_hi = min_f(body_hi, max_f(a, b));
        } else if (fabsf(n_row) > k->solid) {
            return;
        }
        if (body_lo <= body_hi)
            hull(body_lo, body_hi, lo, hi);
    }
}

/* Coverage of pixels [x_first, x_last) of the row py (`cover` holds pixel x at
   cover[x - left]): the overlap of [d - width/2,
   d + width/2] with [-1/2, 1/2], d the distance from the pixel's centre to the nearest
   point of the segment, each pixel's the largest so far. Four pixels at a time where SSE2
   is there, one at a time otherwise, with the same float operations in the same order,
   so either gives the same bytes. Writes up to 3 bytes past x_last (leaving them as they
   were): the scratch buffers have room for that. */
Py_LOCAL_INLINE(void)
cover_pixels(uint8_t *cover, long left, const Capsule *k, float py, long x_first, long x_last)
{
    float t_row = py * k->t_y;
    long x = x_first;
#ifdef HAIRS_SSE2
    static const uint32_t keep_lanes[4] = {0xFFFFFFFFu, 0x000000FFu, 0x0000FFFFu, 0x00FFFFFFu};
    const __m128 zero = _mm_setzero_ps(), one = _mm_set1_ps(1.0f);
    const __m128 half = _mm_set1_ps(0.5f), levels = _mm_set1_ps(255.0f);
    const __m128 ax = _mm_set1_ps(k->ax), dx = _mm_set1_ps(k->dx), dy = _mm_set1_ps(k->dy);
    const __m128 t_x = _mm_set1_ps(k->t_x), t_row4 = _mm_set1_ps(t_row);
    const __m128 py4 = _mm_set1_ps(py), reach = _mm_set1_ps(k->reach);
    const __m128i lanes = _mm_set_epi32(3, 2, 1, 0);
    for (; x < x_last; x += 4) {
        __m128 px = _mm_sub_ps(
            _mm_add_ps(_mm_cvtepi32_ps(_mm_add_epi32(_mm_set1_epi32((int)x), lanes)), half), ax);
        __m128 t = _mm_min_ps(_mm_max_ps(_mm_add_ps(_mm_mul_ps(px, t_x), t_row4), zero), one);
        __m128 ex = _mm_sub_ps(px, _mm_mul_ps(t, dx)), ey = _mm_sub_ps(py4, _mm_mul_ps(t, dy));
        __m128 d = _mm_sqrt_ps(_mm_add_ps(_mm_mul_ps(ex, ex), _mm_mul_ps(ey, ey)));
        __m128 c = _mm_min_ps(_mm_max_ps(_mm_sub_ps(reach, d), zero), one);
        __m128i level = _mm_cvttps_epi32(_mm_add_ps(_mm_mul_ps(c, levels), half));
        uint32_t packed, old;
        level = _mm_packs_epi32(level, level);
        level = _mm_packus_epi16(level, level);
        packed = (uint32_t)_mm_cvtsi128_si32(level);
        if (x_last - x < 4)
            packed &= keep_lanes[x_last - x];
        memcpy(&old, cover + (x - left), 4);
        packed = (uint32_t)_mm_cvtsi128_si32(
            _mm_max_epu8(_mm_cvtsi32_si128((int)packed), _mm_cvtsi32_si128((int)old)));
        memcpy(cover + (x - left), &packed, 4);
    }
#else
    for (; x < x_last; x++) {
        float px = ((float)(int)x + 0.5f) - k->ax;
        float t = min_f(max_f(px * k->t_x + t_row, 0.0f), 1.0f);
        float ex = px - t * k->dx, ey = py - t * k->dy;
        float c = min_f(max_f(k->reach - sqrtf(ex * ex + ey * ey), 0.0f), 1.0f);
        unsigned int level = (unsigned int)(c * 255.0f + 0.5f), old = cover[x - left];
        cover[x - left] = (uint8_t)(level > old ? level : old);
    }
#endif
}

/* Coverage of a capsule into the box [left, right) x [top, bottom) of `buffer` (rows of
   box_width bytes), and the span of each row it touched. Pixels of its solid core are
   filled whole; the others are measured one by one. */
static void
cover_capsule(uint8_t *buffer, long *span_lo, long *span_hi, const Segment *g, float width,
              long left, long top, long right, long bottom)
{
    const Capsule k = make_capsule(g, width);
    long box_width = right - left, y, y_first, y_last;
    float across = k.reach * k.length, inv_dy = k.dy != 0.0f ? 1.0f / k.dy : 0.0f;
    float x_min = min_f(k.ax, k.ax + k.dx) - k.reach, x_max = max_f(k.ax, k.ax + k.dx) + k.reach;
    float y_min = min_f(k.ay, k.ay + k.dy), y_max = max_f(k.ay, k.ay + k.dy);

    y_first = ceil_index(y_min - k.reach - 0.5f - ROW_MARGIN, top, bottom);
    y_last = floor_index(y_max + k.reach - 0.5f + ROW_MARGIN, top - 1, bottom - 1) + 1;
    for (y = y_first; y < y_last; y++) {
        float py = (float)y + 0.5f - k.ay, lo = x_min, hi = x_max, solid_lo, solid_hi;
        long x_first, x_last, fill_first, fill_last, row = y - top;
        uint8_t *cover = buffer + (size_t)row * (size_t)box_width;
        if (k.dy != 0.0f) {
            /* The pixels whose centre lies within `reach` of the segment's line. */
            float along = py * k.dx;
            float a = k.ax + (along - across) * inv_dy, b = k.ax + (along + across) * inv_dy;
            lo = max_f(lo, min_f(a, b));
            hi = min_f(hi, max_f(a, b));
        }
        x_first = ceil_index(lo - 0.5f - ROW_MARGIN, left, right);
        x_last = floor_index(hi - 0.5f + ROW_MARGIN, left - 1, right - 1) + 1;
        if (x_first >= x_last)
            continue;
        if (x_first < span_lo[row])
            span_lo[row] = x_first;
        if (x_last > span_hi[row])
            span_hi[row] = x_last;
        if (k.solid < MIN_SOLID_FILL) {
            cover_pixels(cover, left, &k, py, x_first, x_last);
            continue;
        }
        solid_span(&k, py, &solid_lo, &solid_hi);
        fill_first = ceil_index(solid_lo + k.ax - 0.5f + ROW_MARGIN, x_first, x_last);
        fill_last = floor_index(solid_hi + k.ax - 0.5f - ROW_MARGIN, x_first - 1, x_last - 1) + 1;
        if (fill_first >= fill_last) {
            cover_pixels(cover, left, &k, py, x_first, x_last);
            continue;
        }
        cover_pixels(cover, left, &k, py, x_first, fill_first);
        memset(cover + (fill_first - left), 255, (size_t)(fill_last - fill_first));
        cover_pixels(cover, left, &k, py, fill_last, x_last);
    }
}

/* v / 255 rounded to nearest, exact for v up to 255 * 255. */
static unsigned int
div255_round(unsigned int v)
{
    v += 128;
    return (v + (v >> 8)) >> 8;
}

/* One channel of skia's "source over" of a premultiplied source s of alpha a at coverage c
   onto d (its 8-bit raster pipeline, measured byte for byte on translucent fills). */
static unsigned int
blend(unsigned int d, unsigned int s, unsigned int a, unsigned int c)
{
    unsigned int out;
    if (c == 255) {
        if (a == 255)
            return s;
        out = s + ((d * (255 - a) + 255) >> 8);
    } else if (a == 255) {
        out = (d * (255 - c) + s * c + 255) >> 8;
    } else {
        unsigned int sc = (s * c + 255) >> 8, ac = (a * c + 255) >> 8;
        out = sc + div255_round(d * (255 - ac));
    }
    return out > 255 ? 255 : out;
}

/* Blend ink at coverage c into one RGBA pixel. */
static void
blend_pixel(uint8_t *out, const Ink *ink, unsigned int c)
{
    unsigned int a = ink->alpha;
    out[0] = (uint8_t)blend(out[0], ink->premul[0], a, c);
    out[1] = (uint8_t)blend(out[1], ink->premul[1], a, c);
    out[2] = (uint8_t)blend(out[2], ink->premul[2], a, c);
    out[3] = (uint8_t)blend(out[3], ink->premul[3], a, c);
}

/* One hairline segment blended into the target, as skia draws an antialiased hairline: in
   each pixel column (row, for a steep segment) the segment spans, the two pixels nearest the
   line at the column's centre get 1 - their distance from it, times the share of the column
   the segment spans. Each pixel is touched once, so it is blended straight away. */
static void
blend_hairline(Target *t, const Segment *g, const Ink *ink)
{
    int steep = fabsf(g->by - g->ay) > fabsf(g->bx - g->ax);
    /* Along the major axis a, across it b. */
    float a0 = steep ? g->ay : g->ax, a1 = steep ? g->by : g->bx;
    float b0 = steep ? g->ax : g->ay, b1 = steep ? g->bx : g->by;
    float lo = min_f(a0, a1), hi = max_f(a0, a1);
    float slope = a1 != a0 ? (b1 - b0) / (a1 - a0) : 0.0f;
    long across_lo = steep ? 0 : t->top, across_hi = steep ? t->width : t->bottom;
    long first = floor_index(lo, steep ? t->top : 0, steep ? t->bottom : t->width);
    long last = ceil_index(hi, steep ? t->top : 0, steep ? t->bottom : t->width);
    long m, k, i;

    for (m = first; m < last; m++) {
        float share = min_f((float)m + 1.0f, hi) - max_f((float)m, lo);
        float at = b0 + ((float)m + 0.5f - a0) * slope - 0.5f, below, part[2];
        if (!(share > 0.0f) || !(at >= (float)(across_lo - 1)) || !(at < (float)across_hi))
            continue;
        below = (float)(long)at; /* at >= -1: truncation, then floor */
        if (below > at)
            below -= 1.0f;
        part[1] = (at - below) * share; /* the pixel past the line */
        part[0] = share - part[1];      /* the pixel before it */
        for (i = 0; i < 2; i++) {
            unsigned int c = (unsigned int)(part[i] * 255.0f + 0.5f);
            k = (long)below + i;
            if (k < across_lo || k >= across_hi || c == 0)
                continue;
            blend_pixel(t->pixels + ((size_t)(steep ? m : k) * t->width + (steep ? k : m)) * 4,
                        ink, c);
        }
    }
}

#ifdef HAIRS_SSE2
/* blend() on two pixels (8 channels in 16-bit lanes) at coverages c (each repeated over
   its pixel's 4 lanes): the same integer arithmetic, so the same bytes. */
static __m128i
blend_lanes(__m128i d, __m128i c, const Ink *ink)
{
    const __m128i full = _mm_set1_epi16(255), round = _mm_set1_epi16(128);
    const __m128i s = _mm_setr_epi16((short)ink->premul[0], (short)ink->premul[1],
                                     (short)ink->premul[2], (short)ink->premul[3],
                                     (short)ink->premul[0], (short)ink->premul[1],
                                     (short)ink->premul[2], (short)ink->premul[3]);
    const __m128i a = _mm_set1_epi16((short)ink->alpha);
    __m128i whole, part, ac, v;
    if (ink->alpha == 255) /* (d * (255 - c) + s * c + 255) >> 8 */
        return _mm_srli_epi16(
            _mm_add_epi16(_mm_add_epi16(_mm_mullo_epi16(d, _mm_sub_epi16(full, c)),
                                        _mm_mullo_epi16(s, c)), full), 8);
    /* whole coverage: s + ((d * (255 - a) + 255) >> 8) */
    whole = _mm_add_epi16(
        s, _mm_srli_epi16(_mm_add_epi16(_mm_mullo_epi16(d, _mm_sub_epi16(full, a)), full), 8));
    /* part: (s * c + 255) >> 8 + div255_round(d * (255 - ((a * c + 255) >> 8))) */
    ac = _mm_srli_epi16(_mm_add_epi16(_mm_mullo_epi16(a, c), full), 8);
    v = _mm_add_epi16(_mm_mullo_epi16(d, _mm_sub_epi16(full, ac)), round);
    v = _mm_srli_epi16(_mm_add_epi16(v, _mm_srli_epi16(v, 8)), 8);
    part = _mm_add_epi16(_mm_srli_epi16(_mm_add_epi16(_mm_mullo_epi16(s, c), full), 8), v);
    v = _mm_cmpeq_epi16(c, full);
    return _mm_or_si128(_mm_and_si128(v, whole), _mm_andnot_si128(v, part));
}
#endif

/* Blend n pixels at `out` by their coverages (a row of the scratch), and clear those. */
static void
blend_row(uint8_t *out, uint8_t *cover, long n, const Ink *ink)
{
    long x = 0;
#ifdef HAIRS_SSE2
    /* Four pixels at a time; coverage 0 leaves a pixel as it was. */
    const __m128i zero = _mm_setzero_si128();
    for (; x + 4 <= n; x += 4) {
        uint32_t four;
        __m128i pixels, c, lo, hi;
        memcpy(&four, cover + x, 4);
        if (four == 0)
            continue;
        pixels = _mm_loadu_si128((const __m128i *)(out + 4 * x));
        c = _mm_cvtsi32_si128((int)four);
        c = _mm_unpacklo_epi8(c, c);
        c = _mm_unpacklo_epi16(c, c); /* each coverage byte over its pixel's 4 bytes */
        lo = blend_lanes(_mm_unpacklo_epi8(pixels, zero), _mm_unpacklo_epi8(c, zero), ink);
        hi = blend_lanes(_mm_unpackhi_epi8(pixels, zero), _mm_unpackhi_epi8(c, zero), ink);
        _mm_storeu_si128((__m128i *)(out + 4 * x), _mm_packus_epi16(lo, hi));
    }
#endif
    for (; x < n; x++)
        if (cover[x])
            blend_pixel(out + 4 * x, ink, cover[x]);
    memset(cover, 0, (size_t)n);
}

/* Blend the scratch's coverage into the target and clear it. */
static void
blend_box(Target *t, Scratch *sc, const Ink *ink, long left, long top, long right,
          long bottom)
{
    long box_width = right - left, y;
    for (y = top; y < bottom; y++) {
        long row = y - top, lo = sc->span_lo[row], hi = sc->span_hi[row];
        if (lo < hi)
            blend_row(t->pixels + ((size_t)y * t->width + lo) * 4,
                      sc->cover + (size_t)row * (size_t)box_width + (lo - left), hi - lo, ink);
    }
}

/* Rows [*first, *last) that segments [lo, hi) may cover, within [top, bottom). */
static void
segment_rows(const Segments *segs, size_t lo, size_t hi, float reach, long top, long bottom,
             long *first, long *last)
{
    float min_y = INFINITY, max_y = -INFINITY;
    size_t k;
    for (k = lo; k < hi; k++) {
        min_y = min_f(min_y, min_f(segs->items[k].ay, segs->items[k].by));
        max_y = max_f(max_y, max_f(segs->items[k].ay, segs->items[k].by));
    }
    *first = floor_index(min_y - reach, top, bottom);
    *last = ceil_index(max_y + reach + 1.0f, top, bottom);
}

/* The coverage of a pixel by the union of two marks covering a and b of it (of 255). Where
   a pixel is partly covered by two hairs, the covered parts may lie inside one another (the
   union covers max(a, b)) or apart (up to a + b); nothing says which, so take halfway
   between the larger and what independent parts would give, a + b - ab:
   max + (div255_round(min * (255 - max)) + 1) / 2. Measured on clumps of flow hairs against
   skia, this has no bias, where either end is a quarter of a level too light or too dark on
   average. */
#ifndef HAIRS_SSE2
static unsigned int
join_coverage(unsigned int a, unsigned int b)
{
    unsigned int hi = a > b ? a : b, lo = a > b ? b : a;
    return hi + (div255_round(lo * (255 - hi)) + 1) / 2;
}
#endif

/* One mark's coverage (in sc->mark, rows [first, last)) joined into the group's (see
   join_coverage), and cleared. */
static void
join_mark(Scratch *sc, long box_width, long left, long top, long first, long last)
{
    long y, x;
    for (y = first; y < last; y++) {
        long row = y - top, lo = sc->mark_lo[row], hi = sc->mark_hi[row];
        uint8_t *mark = sc->mark + (size_t)row * (size_t)box_width;
        uint8_t *cover = sc->cover + (size_t)row * (size_t)box_width;
        if (lo >= hi)
            continue;
        if (lo < sc->span_lo[row])
            sc->span_lo[row] = lo;
        if (hi > sc->span_hi[row])
            sc->span_hi[row] = hi;
        x = lo;
#ifdef HAIRS_SSE2
        /* join_coverage on 16 bytes at a time (in 16-bit lanes); past hi the mark is clear,
           which leaves the coverage as it was (SCRATCH_SLACK bytes of room). */
        for (; x < hi; x += 16) {
            const __m128i zero = _mm_setzero_si128(), full = _mm_set1_epi16(255);
            const __m128i round = _mm_set1_epi16(128), one = _mm_set1_epi16(1);
            __m128i a = _mm_loadu_si128((const __m128i *)(cover + (x - left)));
            __m128i b = _mm_loadu_si128((const __m128i *)(mark + (x - left)));
            __m128i most = _mm_max_epu8(a, b), least = _mm_min_epu8(a, b), halves[2];
            int i;
            for (i = 0; i < 2; i++) {
                __m128i m = i ? _mm_unpackhi_epi8(most, zero) : _mm_unpacklo_epi8(most, zero);
                __m128i l = i ? _mm_unpackhi_epi8(least, zero) : _mm_unpacklo_epi8(least, zero);
                __m128i v = _mm_add_epi16(_mm_mullo_epi16(l, _mm_sub_epi16(full, m)), round);
                v = _mm_srli_epi16(_mm_add_epi16(v, _mm_srli_epi16(v, 8)), 8);
                halves[i] = _mm_add_epi16(m, _mm_srli_epi16(_mm_add_epi16(v, one), 1));
            }
            _mm_storeu_si128((__m128i *)(cover + (x - left)),
                             _mm_packus_epi16(halves[0], halves[1]));
            _mm_storeu_si128((__m128i *)(mark + (x - left)), zero);
        }
#else
        for (; x < hi; x++) {
            if (mark[x - left] == 0)
                continue;
            cover[x - left] = (uint8_t)join_coverage(cover[x - left], mark[x - left]);
            mark[x - left] = 0;
        }
#endif
    }
}

/* Cover and blend one clump: the union of its marks' capsules, the segments of mark k
   ending at mark_ends[k]. */
static int
draw_clump(Target *t, Scratch *sc, const Segments *segs, const size_t *mark_ends,
           size_t n_marks, float width, const Ink *ink)
{
    float min_x = INFINITY, max_x = -INFINITY;
    float reach = width * 0.5f + 0.5f;
    long left, right, top, bottom, y, box_width;
    size_t k, m, first_segment;

    for (k = 0; k < segs->count; k++) {
        const Segment *g = &segs->items[k];
        min_x = min_f(min_x, min_f(g->ax, g->bx));
        max_x = max_f(max_x, max_f(g->ax, g->bx));
    }
    left = floor_index(min_x - reach, 0, t->width);
    right = ceil_index(max_x + reach + 1.0f, 0, t->width);
    segment_rows(segs, 0, segs->count, reach, t->top, t->bottom, &top, &bottom);
    if (left >= right || top >= bottom)
        return 1;
    box_width = right - left;
    if (!scratch_fit(sc, (size_t)box_width * (size_t)(bottom - top), (size_t)(bottom - top)))
        return 0;
    for (y = 0; y < bottom - top; y++) {
        sc->span_lo[y] = right;
        sc->span_hi[y] = left;
    }
    if (n_marks == 1) {
        for (k = 0; k < segs->count; k++)
            cover_capsule(sc->cover, sc->span_lo, sc->span_hi, &segs->items[k], width, left,
                          top, right, bottom);
    } else {
        for (m = 0, first_segment = 0; m < n_marks; first_segment = mark_ends[m], m++) {
            long first, last;
            segment_rows(segs, first_segment, mark_ends[m], reach, top, bottom, &first, &last);
            for (y = first; y < last; y++) {
                sc->mark_lo[y - top] = right;
                sc->mark_hi[y - top] = left;
            }
            for (k = first_segment; k < mark_ends[m]; k++)
                cover_capsule(sc->mark, sc->mark_lo, sc->mark_hi, &segs->items[k], width,
                              left, top, right, bottom);
            join_mark(sc, box_width, left, top, first, last);
        }
    }
    blend_box(t, sc, ink, left, top, right, bottom);
    return 1;
}

/* Cut segment g to the rectangle [x0, x1] x [y0, y1] (Liang and Barsky, in double
   precision); 0 when nothing of it is inside. Far-off ends would cost the float
   arithmetic of the pixel loops its precision. */
static int
clip_segment(Segment *g, double x0, double y0, double x1, double y1)
{
    double ax = g->ax, ay = g->ay, dx = (double)g->bx - ax, dy = (double)g->by - ay;
    double p[4], q[4], t0 = 0.0, t1 = 1.0;
    int i;
    if (g->ax >= x0 && g->ax <= x1 && g->bx >= x0 && g->bx <= x1 && g->ay >= y0 &&
        g->ay <= y1 && g->by >= y0 && g->by <= y1)
        return 1;
    p[0] = -dx, q[0] = ax - x0;
    p[1] = dx, q[1] = x1 - ax;
    p[2] = -dy, q[2] = ay - y0;
    p[3] = dy, q[3] = y1 - ay;
    for (i = 0; i < 4; i++) {
        if (p[i] == 0.0) {
            if (q[i] < 0.0)
                return 0;
        } else if (p[i] < 0.0) {
            t0 = q[i] / p[i] > t0 ? q[i] / p[i] : t0;
        } else {
            t1 = q[i] / p[i] < t1 ? q[i] / p[i] : t1;
        }
    }
    if (t0 > t1)
        return 0;
    g->ax = (float)(ax + t0 * dx);
    g->ay = (float)(ay + t0 * dy);
    g->bx = (float)(ax + t1 * dx);
    g->by = (float)(ay + t1 * dy);
    return 1;
}

/* Segments [first, count) cut to the canvas widened by `margin` px (what lies further out
   covers none of it), dropping those wholly outside. */
static void
clip_segments(Segments *segs, size_t first, const Target *t, float margin)
{
    size_t k, kept = first;
    for (k = first; k < segs->count; k++)
        if (clip_segment(&segs->items[k], -margin, -margin, (double)t->width + margin,
                         (double)t->height + margin))
            segs->items[kept++] = segs->items[k];
    segs->count = kept;
}

/* Push a hairline's end out by skia's round cap: pi/8 px (half a unit disc's area) along
   the segment, away from (sign -1: the start) or past (sign 1: the end) the other end. */
static void
extend_end(Segment *g, int sign)
{
    float dx = g->bx - g->ax, dy = g->by - g->ay, length = sqrtf(dx * dx + dy * dy);
    float outset = 0.39269908f; /* pi / 8 */
    if (length > 0.0f) {
        dx = dx / length * outset;
        dy = dy / length * outset;
    } else { /* a dot: skia draws it as a level line */
        dx = outset;
        dy = 0.0f;
    }
    if (sign < 0) {
        g->ax -= dx;
        g->ay -= dy;
    } else {
        g->bx += dx;
        g->by += dy;
    }
}

/* One hairline mark, skia's way: its ends capped, each segment blended on its own. */
static void
draw_hairline_mark(Target *t, Segments *segs, const Ink *ink)
{
    size_t k;
    if (segs->count == 0)
        return;
    extend_end(&segs->items[0], -1);
    extend_end(&segs->items[segs->count - 1], 1);
    clip_segments(segs, 0, t, CLIP_MARGIN);
    for (k = 0; k < segs->count; k++)
        blend_hairline(t, &segs->items[k], ink);
}

/* The ink skia paints a run with: for a hairline, the alpha scaled by the width as skia
   scales it (alpha * int(width * 256) >> 8). */
static Ink
make_ink(const uint8_t *rgba, float width, int hairline)
{
    Ink ink;
    unsigned int a = rgba[3], i;
    if (hairline && width > 0.0f && width < 1.0f)
        a = (a * (unsigned int)(width * 256.0f)) >> 8;
    for (i = 0; i < 3; i++)
        ink.premul[i] = (rgba[i] * a + 127) / 255;
    ink.premul[3] = a;
    ink.alpha = a;
    return ink;
}

typedef struct {
    const float *points;
    const uint8_t *rgba;
    const float *width;
    const int64_t *runs;
    Py_ssize_t n_runs, n_points;
    int curves;
} Batch;

/* Draw every run in order; 0 when memory ran out. */
static int
draw_batch(Target *t, const Batch *b)
{
    Segments segs = {NULL, 0, 0};
    Scratch sc = {NULL, NULL, 0, NULL, NULL, NULL, NULL, 0};
    Py_ssize_t r, m, mark_floats = 2 * b->n_points, longest = 0;
    size_t *mark_ends;
    int ok = 1;

    for (r = 0; r < b->n_runs; r++)
        if (b->runs[r + 1] - b->runs[r] > longest)
            longest = (Py_ssize_t)(b->runs[r + 1] - b->runs[r]);
    mark_ends = (size_t *)malloc((size_t)(longest + 1) * sizeof(size_t));
    if (mark_ends == NULL)
        return 0;

    for (r = 0; r < b->n_runs && ok; r++) {
        Py_ssize_t start = (Py_ssize_t)b->runs[r], end = (Py_ssize_t)b->runs[r + 1];
        float width;
        int hairline;
        Ink ink;
        if (start >= end)
            continue;
        width = b->width[start];
        /* skia refuses a path with a non-finite point, and ignores a negative width. */
        if (!(width >= 0.0f) || !isfinite(width) ||
            !all_finite(b->points + start * mark_floats, (end - start) * mark_floats))
            continue;
        hairline = width <= 1.0f;
        ink = make_ink(b->rgba + 4 * start, width, hairline);
        segs.count = 0;
        for (m = start; m < end && ok; m++) {
            size_t first = segs.count;
            ok = push_mark(&segs, b->points + m * mark_floats, b->n_points, b->curves);
            if (ok && !hairline)
                clip_segments(&segs, first, t, width * 0.5f + CLIP_MARGIN);
            mark_ends[m - start] = segs.count;
            if (ok && hairline) {
                draw_hairline_mark(t, &segs, &ink);
                segs.count = 0;
            }
        }
        if (ok && !hairline)
            ok = draw_clump(t, &sc, &segs, mark_ends, (size_t)(end - start), width, &ink);
    }
    free(mark_ends);
    free(segs.items);
    scratch_free(&sc);
    return ok;
}

/* ------------------------------------------------------------------------------- Python */

enum { CANVAS, POINTS, RGBA, WIDTH, RUNS, N_ARGS };

/* Checks shapes, item types and runs; sets an exception and returns 0 when wrong. */
static int
check_arguments(Py_buffer *v, long top, long bottom)
{
    Py_ssize_t n, r;
    const int64_t *runs;

    if (!check_canvas(&v[CANVAS]))
        return 0;
    if (v[POINTS].ndim != 3 || v[POINTS].shape[2] != 2 || v[POINTS].shape[1] < 1 ||
        !has_items(&v[POINTS], "f", 4)) {
        PyErr_SetString(PyExc_ValueError, "points must be an (N, P, 2) float32 array");
        return 0;
    }
    n = v[POINTS].shape[0];
    if (v[RGBA].ndim != 2 || v[RGBA].shape[0] != n || v[RGBA].shape[1] != 4 ||
        !has_items(&v[RGBA], "B", 1)) {
        PyErr_SetString(PyExc_ValueError, "rgba must be an (N, 4) uint8 array, one row a mark");
        return 0;
    }
    if (v[WIDTH].ndim != 1 || v[WIDTH].shape[0] != n || !has_items(&v[WIDTH], "f", 4)) {
        PyErr_SetString(PyExc_ValueError, "width must be an (N,) float32 array");
        return 0;
    }
    if (v[RUNS].ndim != 1 || v[RUNS].shape[0] < 1 || !has_items(&v[RUNS], "lq", 8)) {
        PyErr_SetString(PyExc_ValueError, "runs must be a 1-D int64 array of run starts and "
                                          "the end");
        return 0;
    }
    runs = (const int64_t *)v[RUNS].buf;
    for (r = 0; r < v[RUNS].shape[0]; r++) {
        if (runs[r] < 0 || runs[r] > n || (r > 0 && runs[r] < runs[r - 1])) {
            PyErr_SetString(PyExc_ValueError,
                            "runs must be non-decreasing mark indices from 0 to N");
            return 0;
        }
    }
    if (top < 0 || bottom > v[CANVAS].shape[0] || top > bottom) {
        PyErr_Format(PyExc_ValueError, "rows %ld..%ld are not within the canvas's %zd rows",
                     top, bottom, v[CANVAS].shape[0]);
        return 0;
    }
    return 1;
}

static PyObject *
draw(PyObject *module, PyObject *args)
{
    PyObject *objects[N_ARGS];
    Py_buffer views[N_ARGS];
    int got = 0, curves, ok = 1;
    long top, bottom;
    PyObject *result = NULL;

    (void)module;
    if (!PyArg_ParseTuple(args, "OOOOOpll:draw", &objects[CANVAS], &objects[POINTS],
                          &objects[RGBA], &objects[WIDTH], &objects[RUNS], &curves, &top,
                          &bottom))
        return NULL;
    got = get_buffers(objects, views, N_ARGS);
    if (got < N_ARGS || !check_arguments(views, top, bottom))
        goto done;

    Py_BEGIN_ALLOW_THREADS
    {
        Target t;
        Batch b;
        t.pixels = (uint8_t *)views[CANVAS].buf;
        t.height = (long)views[CANVAS].shape[0];
        t.width = (long)views[CANVAS].shape[1];
        t.top = top;
        t.bottom = bottom;
        b.points = (const float *)views[POINTS].buf;
        b.rgba = (const uint8_t *)views[RGBA].buf;
        b.width = (const float *)views[WIDTH].buf;
        b.runs = (const int64_t *)views[RUNS].buf;
        b.n_runs = views[RUNS].shape[0] - 1;
        b.n_points = views[POINTS].shape[1];
        b.curves = curves;
        ok = draw_batch(&t, &b);
    }
    Py_END_ALLOW_THREADS

    if (!ok) {
        PyErr_NoMemory();
        goto done;
    }
    Py_INCREF(Py_None);
    result = Py_None;
done:
    release_buffers(views, got);
    return result;
}

static PyMethodDef methods[] = {
    {"draw", draw, METH_VARARGS,
     "draw(canvas, points, rgba, width, runs, curves, top, bottom)\n--\n\n"
     "Draw line marks, run by run in order, into canvas, an (H, W, 4) uint8 RGBA\n"
     "premultiplied array; only rows top..bottom-1 are written, and their pixels don't\n"
     "depend on that range. points is (N, P, 2) float32 (polylines, or with curves the\n"
     "quadratic B-splines of artkit.strokes), rgba (N, 4) uint8 straight alpha, width (N,)\n"
     "float32; runs is int64: the start of each run of marks drawn as one union (colour\n"
     "and width from its first mark), then N. Runs with a non-finite point are skipped."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "artkit._hairs",
    "Antialiased line marks drawn a whole batch a call (see artkit.strokes).",
    -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC
PyInit__hairs(void)
{
    return PyModule_Create(&module_def);
}
