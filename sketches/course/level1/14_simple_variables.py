"""Simple variables: one number moves a whole hot-air balloon.

Every part of the balloon is drawn a little way from x and y. Change x or y and the whole
balloon moves together. Here y shrinks as frame_count grows, so the balloon rises; when it
floats off the top it starts again at the bottom.

What it teaches: a variable is a name for a number (x = 300); shapes placed at x + 20 or
y - 50 move with it; frame_count counts the frames, so it makes things move; % wraps a number
round, like a clock.

Run it:   artkit course 14
Copy it:  artkit course 14 --copy      then: artkit run 14_simple_variables.py
"""


def setup():
    size(600, 600)


def draw():
    background("lightskyblue")
    no_stroke()
    fill("white")                                  # clouds
    ellipse(120, 120, 160, 60)
    ellipse(470, 200, 200, 70)
    fill("mediumseagreen")                         # hills
    ellipse(150, 620, 600, 260)
    fill("seagreen")
    ellipse(520, 640, 500, 220)

    x = 300
    y = 700 - (frame_count * 2) % 900              # the balloon rises, then starts again

    stroke("saddlebrown")                          # ropes
    stroke_weight(2)
    line(x - 60, y + 20, x - 20, y + 110)
    line(x + 60, y + 20, x + 20, y + 110)
    no_stroke()
    fill("tomato")                                 # the balloon
    circle(x, y, 170)
    fill("gold")                                   # its stripes
    ellipse(x, y, 110, 170)
    fill("tomato")
    ellipse(x, y, 40, 170)
    fill("saddlebrown")                            # the basket
    rect(x - 22, y + 105, 44, 34)
