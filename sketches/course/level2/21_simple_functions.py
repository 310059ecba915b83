"""Simple functions: make your own flower() command and use it again and again.

A function is a recipe with a name. Once flower() is written, one line draws a whole flower,
somewhere random, in a random colour. Click the mouse to add more flowers!

What it teaches: def makes a function; the lines inside it are indented; calling flower()
runs those lines; variables made inside a function (x, y, petal) belong to it.

Run it:   artkit course 21
Copy it:  artkit course 21 --copy      then: artkit run 21_simple_functions.py
"""

petal_colours = ["hotpink", "orchid", "gold", "tomato", "lightskyblue", "white", "orange"]


def flower():
    x = random(40, 560)
    y = random(200, 560)
    stroke("forestgreen")                 # the stem
    stroke_weight(5)
    line(x, y, x + random(-20, 20), 600)
    no_stroke()
    fill(random_choice(petal_colours))    # four petals round the middle
    circle(x - 18, y, 34)
    circle(x + 18, y, 34)
    circle(x, y - 18, 34)
    circle(x, y + 18, 34)
    fill("saddlebrown")                   # the middle
    circle(x, y, 22)


def setup():
    size(600, 600)
    background("lightcyan")
    no_stroke()
    fill("palegreen")
    rect(0, 380, 600, 220)
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
