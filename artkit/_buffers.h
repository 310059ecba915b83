/* The numpy arrays handed to artkit's compiled loops (_hairs.c, _discblit.c), as buffers:
   getting and releasing them, and checking their item types and the canvas's shape. */

#ifndef ARTKIT_BUFFERS_H
#define ARTKIT_BUFFERS_H

#include <Python.h>
#include <string.h>

/* The buffer's items are one of `codes` of `itemsize` bytes, in native order: numpy spells
   int32 "i" or, where a C long has 32 bits (Windows), "l"; int64 "l" or "q". */
static int
has_items(const Py_buffer *view, const char *codes, Py_ssize_t itemsize)
{
    const char *format = view->format ? view->format : "B";
    if (*format == '@' || *format == '=')
        format++;
    return view->itemsize == itemsize && format[0] != '\0' && format[1] == '\0' &&
           strchr(codes, format[0]) != NULL;
}

/* views[i]: a C-contiguous buffer of objects[i], for i < n; the first (the canvas) is
   written to, so it must be writable. Returns how many were got: n, or fewer with an
   exception set (release those). */
static int
get_buffers(PyObject **objects, Py_buffer *views, int n)
{
    int got;
    for (got = 0; got < n; got++) {
        int flags = PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (got == 0 ? PyBUF_WRITABLE : 0);
        if (PyObject_GetBuffer(objects[got], &views[got], flags) < 0)
            break;
    }
    return got;
}

static void
release_buffers(Py_buffer *views, int got)
{
    int i;
    for (i = 0; i < got; i++)
        PyBuffer_Release(&views[i]);
}

/* The canvas is an (H, W, 4) uint8 array; sets an exception and returns 0 otherwise. */
static int
check_canvas(const Py_buffer *canvas)
{
    if (canvas->ndim != 3 || canvas->shape[2] != 4 || !has_items(canvas, "B", 1)) {
        PyErr_SetString(PyExc_ValueError, "canvas must be an (H, W, 4) uint8 array");
        return 0;
    }
    return 1;
}

#endif
