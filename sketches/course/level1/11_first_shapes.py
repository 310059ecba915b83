"""First shapes: squares full of circles, in the style of Kandinsky's colour study.

Wassily Kandinsky painted squares with rings of colour inside. Here are four of them, made
with just square(), circle() and fill(). Each fill() sets the colour for the shapes after it.

What it teaches: square(x, y, size) starts at its top-left corner; circle(x, y, size) is
centred on x, y; colour names like "gold"; shapes drawn later cover earlier ones.

Run it:   artkit course 11
Copy it:  artkit course 11 --copy      then: artkit run 11_first_shapes.py
"""


def setup():
    size(600, 600)
    no_stroke()
    background("ivory")

    # Top left
    fill("goldenrod")
    square(0, 0, 300)
    fill("darkslateblue")
    circle(150, 150, 240)
    fill("crimson")
    circle(150, 150, 160)
    fill("lightseagreen")
    circle(150, 150, 80)

    # Top right
    fill("midnightblue")
    square(300, 0, 300)
    fill("orange")
    circle(450, 150, 240)
    fill("mediumvioletred")
    circle(450, 150, 160)
    fill("gold")
    circle(450, 150, 80)

    # Bottom left
    fill("seagreen")
    square(0, 300, 300)
    fill("tomato")
    circle(150, 450, 240)
    fill("navy")
    circle(150, 450, 160)
    fill("khaki")
    circle(150, 450, 80)

    # Bottom right
    fill("firebrick")
    square(300, 300, 300)
    fill("lightskyblue")
    circle(450, 450, 240)
    fill("darkgreen")
    circle(450, 450, 160)
    fill("orangered")
    circle(450, 450, 80)
