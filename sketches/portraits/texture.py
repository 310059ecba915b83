"""Texture: random high-contrast black and white see-through lines, over a flow painting.

The texture brush is a layer, not a painting by itself: a few faint black and white lines
on top of the flow brush's hairs give the picture grit, like canvas weave or pencil marks.
Here the flow brush paints the picture and the texture brush adds a little grain each frame.

Drag the mouse to add texture where you like. Keys: s saves a PNG, c starts again,
space pauses the painting by itself.

Run it:          artkit run sketches/portraits/texture.py
Your own photo:  artkit run sketches/portraits/texture.py --param SOURCE=photo.jpg
Without window:  artkit run sketches/portraits/texture.py --frames 30 --out texture.png
"""

WIDTH = 640
HEIGHT = 480
SOURCE = "default"          # a photo file, or "default" for the built-in sunset
FIRST_LAYER = 500           # flow touches painted quickly at the start, so a picture appears at once
PAINT_BRUSH = "flow"
TEXTURE_BRUSH = "texture"
STROKES_PER_FRAME = 20      # flow touches each frame
TEXTURE_PER_FRAME = 2       # texture touches each frame
UNDERPAINTING = 110         # 0-255: how strongly the picture shows through before painting
painting_by_itself = True
first_layer_left = 0        # flow touches of the first layer still to paint


def start():
    global first_layer_left
    background("#f3eee4")
    show_source(UNDERPAINTING)
    first_layer_left = FIRST_LAYER


def setup():
    load_source(SOURCE)
    start()


def draw():
    global first_layer_left
    if first_layer_left > 0:    # the first layer: 50 touches a frame until it's done
        autopaint(PAINT_BRUSH, 50)
        first_layer_left = first_layer_left - 50
    elif painting_by_itself:
        autopaint(PAINT_BRUSH, STROKES_PER_FRAME)
        autopaint(TEXTURE_BRUSH, TEXTURE_PER_FRAME)


def mouse_dragged(x, y):
    paint(TEXTURE_BRUSH, x, y, pmouse_x, pmouse_y)


def key_pressed(key):
    global painting_by_itself
    if key == "s":
        save_frame()
    elif key == "c":
        start()
    elif key == "space":
        painting_by_itself = not painting_by_itself
