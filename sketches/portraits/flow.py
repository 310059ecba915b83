"""Flow: clumps of hairs flowing along a noise field, coloured from the picture.

This is the hairy-portrait method: each clump of lines walks a few steps along smooth
noise, so the strokes swirl together like brushed fur or wind in grass.

Drag the mouse to paint where you like. The brush also paints a little by itself every
frame, so a painting appears even if you only watch. Keys: s saves a PNG, c starts again,
space pauses the painting by itself.

Run it:          artkit run sketches/portraits/flow.py
Your own photo:  artkit run sketches/portraits/flow.py --param SOURCE=photo.jpg
Without window:  artkit run sketches/portraits/flow.py --frames 30 --out flow.png
"""

WIDTH = 640
HEIGHT = 480
SOURCE = "default"          # a photo file, or "default" for the built-in sunset
BRUSH = "flow"
FIRST_LAYER = 300           # touches painted at the start, so the picture appears at once
STROKES_PER_FRAME = 20      # how much the brush paints by itself each frame
UNDERPAINTING = 45          # 0-255: how strongly the picture shows through before painting
painting_by_itself = True


def start():
    background("#f3eee4")
    show_source(UNDERPAINTING)  # painters often tone a canvas first
    autopaint(BRUSH, FIRST_LAYER)


def setup():
    load_source(SOURCE)
    start()


def draw():
    if painting_by_itself:
        autopaint(BRUSH, STROKES_PER_FRAME)


def mouse_dragged(x, y):
    paint(BRUSH, x, y, pmouse_x, pmouse_y)


def key_pressed(key):
    global painting_by_itself
    if key == "s":
        save_frame()
    elif key == "c":
        start()
    elif key == "space":
        painting_by_itself = not painting_by_itself
