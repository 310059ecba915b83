/* Round dabs blended into an RGBA canvas from pre-rasterised coverage masks (artkit.discs).

   One call blends a whole batch of dabs, in order, so the per-dab cost is the pixels alone
   (Pillow's paste() costs ~2 us a call before it touches a pixel).

   The arithmetic is the one Pillow uses for paste(colour, box, mask) into an "RGBX" image
   with an "L" mask, so that the Pillow fallback in artkit.discs gives the same bytes: every
   byte becomes t / 255 with t = dst * (255 - m) + ink * m, divided as Pillow divides (with
   u = t + 128, (u + (u >> 8)) >> 8). The first three bytes take the dab's colour, the
   fourth (premultiplied alpha) the ink 255, which makes the blend "source over". */

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "_buffers.h"

#include <stdint.h>
#include <string.h>

/* t / 255 rounded as Pillow rounds it (exact for multiples of 255). */
Py_LOCAL_INLINE(unsigned int)
div255(unsigned int t)
{
    t += 128;
    return ((t >> 8) + t) >> 8;
}

/* The rows and columns of the canvas a dab's mask covers; 64-bit, so x0 + side can't wrap. */
typedef struct {
    long long left, top, right, bottom;
} Span;

static Span
on_canvas(Py_ssize_t width, Py_ssize_t first_row, Py_ssize_t end_row, int32_t side, int32_t x0,
          int32_t y0)
{
    Span s;
    s.left = x0 > 0 ? x0 : 0;
    s.top = y0 > first_row ? y0 : first_row;
    s.right = (long long)x0 + side < width ? (long long)x0 + side : width;
    s.bottom = (long long)y0 + side < end_row ? (long long)y0 + side : end_row;
    return s;
}

/* Blends one dab into rows first_row..end_row-1 of a canvas `width` pixels wide. */
typedef void (*DabBlender)(uint8_t *canvas, Py_ssize_t width, Py_ssize_t first_row,
                           Py_ssize_t end_row, const uint8_t *mask, int32_t side, int32_t x0,
                           int32_t y0, const uint8_t *rgb);

/* One pixel, one byte at a time: the portable loop, and the plainest statement of the
   arithmetic. */
static void
blend_dab_scalar(uint8_t *canvas, Py_ssize_t width, Py_ssize_t first_row, Py_ssize_t end_row,
                 const uint8_t *mask, int32_t side, int32_t x0, int32_t y0, const uint8_t *rgb)
{
    Span s = on_canvas(width, first_row, end_row, side, x0, y0);
    unsigned int r = rgb[0], g = rgb[1], b = rgb[2];
    long long x, y;

    for (y = s.top; y < s.bottom; y++) {
        const uint8_t *m = mask + (y - y0) * side + (s.left - x0);
        uint8_t *out = canvas + (y * width + s.left) * 4;
        for (x = s.left; x < s.right; x++, m++, out += 4) {
            unsigned int a = *m, keep = 255 - a;
            if (a == 0)
                continue; /* the blend would leave the pixel as it is */
            out[0] = (uint8_t)div255(out[0] * keep + r * a);
            out[1] = (uint8_t)div255(out[1] * keep + g * a);
            out[2] = (uint8_t)div255(out[2] * keep + b * a);
            out[3] = (uint8_t)div255(out[3] * keep + 255 * a);
        }
    }
}

#if defined(__SSE2__) || defined(_M_X64) || (defined(_M_IX86_FP) && _M_IX86_FP >= 2)
#include <emmintrin.h>
#define HAVE_SSE2 1

/* The same arithmetic on eight 16-bit lanes (two pixels): no lane overflows, as
   255 * 255 + 128 + 255 < 65536. */
static __m128i
blend_lanes(__m128i out, __m128i a, __m128i ink)
{
    const __m128i c255 = _mm_set1_epi16(255), c128 = _mm_set1_epi16(128);
    __m128i t = _mm_add_epi16(_mm_mullo_epi16(out, _mm_sub_epi16(c255, a)),
                              _mm_mullo_epi16(ink, a));
    t = _mm_add_epi16(t, c128);
    return _mm_srli_epi16(_mm_add_epi16(t, _mm_srli_epi16(t, 8)), 8);
}

/* Four pixels at a time (a dab's rows are 7-27 pixels long), then the rest one by one:
   ~4x faster than the scalar loop. */
static void
blend_dab_sse2(uint8_t *canvas, Py_ssize_t width, Py_ssize_t first_row, Py_ssize_t end_row,
               const uint8_t *mask, int32_t side, int32_t x0, int32_t y0, const uint8_t *rgb)
{
    Span s = on_canvas(width, first_row, end_row, side, x0, y0);
    const __m128i zero = _mm_setzero_si128();
    const __m128i ink = _mm_setr_epi16(rgb[0], rgb[1], rgb[2], 255, rgb[0], rgb[1], rgb[2], 255);
    long long x, y, n = s.right - s.left;

    for (y = s.top; y < s.bottom; y++) {
        const uint8_t *m = mask + (y - y0) * side + (s.left - x0);
        uint8_t *out = canvas + (y * width + s.left) * 4;
        for (x = 0; x + 4 <= n; x += 4) {
            uint32_t four;
            __m128i a, a_hi, px, lo, hi;
            memcpy(&four, m + x, 4);
            /* Each pixel's coverage in the four lanes of its channels. */
            a = _mm_unpacklo_epi8(_mm_cvtsi32_si128((int)four), zero);
            a = _mm_unpacklo_epi16(a, a);
            a_hi = _mm_unpackhi_epi32(a, a);
            a = _mm_unpacklo_epi32(a, a);
            px = _mm_loadu_si128((const __m128i *)(out + 4 * x));
            lo = blend_lanes(_mm_unpacklo_epi8(px, zero), a, ink);
            hi = blend_lanes(_mm_unpackhi_epi8(px, zero), a_hi, ink);
            _mm_storeu_si128((__m128i *)(out + 4 * x), _mm_packus_epi16(lo, hi));
        }
        for (; x < n; x++) {
            uint32_t px;
            __m128i blended;
            memcpy(&px, out + 4 * x, 4);
            blended = blend_lanes(_mm_unpacklo_epi8(_mm_cvtsi32_si128((int)px), zero),
                                  _mm_set1_epi16(m[x]), ink);
            px = (uint32_t)_mm_cvtsi128_si32(_mm_packus_epi16(blended, blended));
            memcpy(out + 4 * x, &px, 4);
        }
    }
}
#endif

enum { CANVAS, ATLAS, X0, Y0, SIDE, OFFSET, RGB, N_ARGS };

static const char *const arg_names[N_ARGS] = {"canvas", "atlas", "x0", "y0",
                                              "side", "offset", "rgb"};

/* Checks shapes and item types; sets an exception and returns 0 when they are wrong. */
static int
check_shapes(Py_buffer *views, Py_ssize_t *n_dabs)
{
    Py_ssize_t n;
    int i;

    if (!check_canvas(&views[CANVAS]))
        return 0;
    if (views[ATLAS].ndim != 1 || !has_items(&views[ATLAS], "B", 1)) {
        PyErr_SetString(PyExc_ValueError, "atlas must be a 1-D uint8 array");
        return 0;
    }
    n = views[X0].ndim == 1 ? views[X0].shape[0] : -1;
    for (i = X0; i <= OFFSET; i++) {
        if (views[i].ndim != 1 || !has_items(&views[i], "il", 4) || views[i].shape[0] != n) {
            PyErr_Format(PyExc_ValueError,
                         "%s must be a 1-D int32 array as long as x0", arg_names[i]);
            return 0;
        }
    }
    if (views[RGB].ndim != 2 || views[RGB].shape[0] != n || views[RGB].shape[1] != 3 ||
        !has_items(&views[RGB], "B", 1)) {
        PyErr_SetString(PyExc_ValueError, "rgb must be an (n, 3) uint8 array, one row a dab");
        return 0;
    }
    *n_dabs = n;
    return 1;
}

/* Every dab's mask lies inside the atlas; sets an exception and returns 0 otherwise. */
static int
check_masks(Py_buffer *views, Py_ssize_t n)
{
    const int32_t *side = (const int32_t *)views[SIDE].buf;
    const int32_t *offset = (const int32_t *)views[OFFSET].buf;
    long long atlas_size = (long long)views[ATLAS].len;
    Py_ssize_t i;

    for (i = 0; i < n; i++) {
        if (side[i] < 0 || offset[i] < 0 ||
            (long long)offset[i] + (long long)side[i] * side[i] > atlas_size) {
            PyErr_Format(PyExc_ValueError,
                         "dab %zd: a mask of side %d at offset %d is not inside the atlas "
                         "(%lld bytes)",
                         i, (int)side[i], (int)offset[i], atlas_size);
            return 0;
        }
    }
    return 1;
}

static PyObject *
blit_with(PyObject *args, DabBlender blend_dab)
{
    PyObject *objects[N_ARGS];
    Py_buffer views[N_ARGS];
    int got = 0;
    Py_ssize_t n = 0, k, first_row = 0, end_row = PY_SSIZE_T_MAX;
    PyObject *result = NULL;

    if (!PyArg_ParseTuple(args, "OOOOOOO|nn:blit", &objects[CANVAS], &objects[ATLAS],
                          &objects[X0], &objects[Y0], &objects[SIDE], &objects[OFFSET],
                          &objects[RGB], &first_row, &end_row))
        return NULL;
    got = get_buffers(objects, views, N_ARGS);
    if (got < N_ARGS || !check_shapes(views, &n) || !check_masks(views, n))
        goto done;

    Py_BEGIN_ALLOW_THREADS
    {
        uint8_t *canvas = (uint8_t *)views[CANVAS].buf;
        const uint8_t *atlas = (const uint8_t *)views[ATLAS].buf;
        const int32_t *x0 = (const int32_t *)views[X0].buf;
        const int32_t *y0 = (const int32_t *)views[Y0].buf;
        const int32_t *side = (const int32_t *)views[SIDE].buf;
        const int32_t *offset = (const int32_t *)views[OFFSET].buf;
        const uint8_t *rgb = (const uint8_t *)views[RGB].buf;
        Py_ssize_t height = views[CANVAS].shape[0], width = views[CANVAS].shape[1];

        /* Only rows first_row..end_row-1 (a band drawn by one thread) are written. */
        if (first_row < 0)
            first_row = 0;
        if (end_row > height)
            end_row = height;
        for (k = 0; k < n; k++)
            blend_dab(canvas, width, first_row, end_row, atlas + offset[k], side[k], x0[k],
                      y0[k], rgb + 3 * k);
    }
    Py_END_ALLOW_THREADS

    Py_INCREF(Py_None);
    result = Py_None;
done:
    release_buffers(views, got);
    return result;
}

static PyObject *
blit(PyObject *module, PyObject *args)
{
    (void)module;
#ifdef HAVE_SSE2
    return blit_with(args, blend_dab_sse2);
#else
    return blit_with(args, blend_dab_scalar);
#endif
}

static PyObject *
blit_scalar(PyObject *module, PyObject *args)
{
    (void)module;
    return blit_with(args, blend_dab_scalar);
}

static PyMethodDef methods[] = {
    {"blit", blit, METH_VARARGS,
     "blit(canvas, atlas, x0, y0, side, offset, rgb, first_row=0, end_row=H)\n--\n\n"
     "Blend round dabs, in order, into canvas, an (H, W, 4) uint8 RGBA premultiplied array.\n"
     "Dab k is the side[k] x side[k] coverage mask at atlas[offset[k]:] (row-major uint8)\n"
     "with its top-left pixel at (x0[k], y0[k]), clipped to the canvas, in the colour\n"
     "rgb[k]: exactly the bytes of Pillow's paste(colour + (255,), box, mask) into an RGBX\n"
     "image. x0, y0, side and offset are int32 arrays, rgb an (n, 3) uint8 array. Only\n"
     "rows first_row..end_row-1 are written (a band, for threads drawing side by side)."},
    {"blit_scalar", blit_scalar, METH_VARARGS,
     "blit_scalar(canvas, atlas, x0, y0, side, offset, rgb, first_row=0, end_row=H)\n--\n\n"
     "blit() one byte at a time: the loop blit() uses where there is no SSE2, here so\n"
     "the tests check it on any machine."},
    {NULL, NULL, 0, NULL}};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT, "artkit._discblit",
    "Round dabs blended from pre-rasterised coverage masks, a whole batch a call "
    "(see artkit.discs).",
    -1, methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC
PyInit__discblit(void)
{
    return PyModule_Create(&module_def);
}
