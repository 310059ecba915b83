"""Painterly: long, round, translucent strokes that follow the picture's forms.

This is Hertzmann's painterly stroke: each stroke starts where you touch, runs along the
picture's edges (across its brightness changes, never through them) and stops where the
colour changes, like a brushstroke that knows the shape it is painting.

Drag the mouse to paint where you like. The brush also paints a little by itself every
frame, so a painting appears even if you only watch. Keys: s saves a PNG, c starts again,
space pauses the painting by itself.

Run it:          artkit run sketches/portraits/painterly.py
Your own photo:  artkit run sketches/portraits/painterly.py --param SOURCE=photo.jpg
Without window:  artkit run sketches/portraits/painterly.py --frames 30 --out painterly.png
"""

WIDTH = 640
HEIGHT = 480
SOURCE = "default"          # a photo file, or "default" for the built-in sunset
BRUSH = "painterly"
FIRST_LAYER = 500           # touches painted quickly at the start, so a picture appears at once
STROKES_PER_FRAME = 20      # how much the brush paints by itself each frame
UNDERPAINTING = 110         # 0-255: how strongly the picture shows through before painting
painting_by_itself = True
first_layer_left = 0        # touches of the first layer still to paint


def start():
    global first_layer_left
    background("#f3eee4")
    show_source(UNDERPAINTING)  # painters often tone a canvas first
    first_layer_left = FIRST_LAYER


def setup():
    load_source(SOURCE)
    start()


def draw():
    global first_layer_left
    if first_layer_left > 0:    # the first layer: 50 touches a frame until it's done
        autopaint(BRUSH, 50)
        first_layer_left = first_layer_left - 50
    elif painting_by_itself:
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
