"""Getting started: a first sketch that proves everything works.

You should see a sunset over the hills and a hello. Move the mouse over the window: the moon
follows it. Then try changing a colour name or a number and save the file: the window
updates straight away.

What it teaches: setup() runs once, draw() runs again and again; size, background, fill,
circle, ellipse and text; mouse_x and mouse_y.

Run it:   artkit course 00
Copy it:  artkit course 00 --copy      then: artkit run 00_getting_started.py
"""


def setup():
    size(600, 400)


def draw():
    background("midnightblue")
    no_stroke()

    # The sun, half set behind the hills.
    fill("darkorange")
    circle(300, 300, 260)
    fill("gold")
    circle(300, 300, 200)

    # The hills: two big ovals, partly off the bottom of the canvas.
    fill("darkslateblue")
    ellipse(140, 420, 560, 260)
    fill("indigo")
    ellipse(500, 430, 520, 200)

    # A moon that follows the mouse.
    fill("lightyellow")
    circle(mouse_x, mouse_y, 40)

    fill("white")
    text_size(40)
    text("Hello, artkit!", 170, 90)
