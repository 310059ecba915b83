"""Simple functions: make your own flower() command and use it again and again.

A function is a recipe with a name. Once flower() is written, one line draws a whole flower,
somewhere random, in a random colour. Click the mouse to add more flowers!

What it teaches: def makes a function; the lines inside it are indented; calling flower()
runs those lines; variables made inside a function (x, y, petal) belong to it.

Run it:   artkit course 21
Copy it:  artkit course 21 --copy      then: artkit run 21_simple_functions.py
"""

petal_colours = ["hotpink", "orchid", "gold", "tomato", "mediumpurple", "white", "orange"]


def flower():
    x = random(40, 560)
    y = random(230, 540)
    stroke("forestgreen")                 # the stem
    stroke_weight(6)
    line(x, y, x + random(-30, 30), 600)
    no_stroke()
    fill(random_choice(petal_colours))    # five petals round the middle
    circle(x - 22, y - 6, 40)
    circle(x + 22, y - 6, 40)
    circle(x - 14, y + 20, 40)
    circle(x + 14, y + 20, 40)
    circle(x, y - 24, 40)
    fill("saddlebrown")                   # the middle
    circle(x, y, 26)


def setup():
    size(600, 600)
    background("lightskyblue")
    no_stroke()
    fill("lightyellow")                   # the sun
    circle(480, 110, 110)
    fill("yellowgreen")
    rect(0, 330, 600, 270)
    flower()
    flower()
    flower()
    flower()
    flower()
    flower()
    flower()
    flower()
    flower()


def mouse_pressed():
    flower()
