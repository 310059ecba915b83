"""More functions: give flower() parameters, so each call says where, how big and what colour.

flower(150, 300, 60, "tomato") draws a flower at x 150, y 300, 60 pixels across, in tomato
red. The names in the brackets of def flower(x, y, width, colour) are parameters: they hold
whatever numbers the call gives.

What it teaches: parameters; one function, many different results; calling a function from
inside another function (bouquet calls flower).

Run it:   artkit course 23
Copy it:  artkit course 23 --copy      then: artkit run 23_more_functions.py
"""


def flower(x, y, width, colour):
    stroke("darkgreen")
    stroke_weight(width / 12)
    line(x, y, 300, 560)                        # every stem goes to the vase
    no_stroke()
    fill(colour)
    circle(x - width / 3, y, width / 1.6)
    circle(x + width / 3, y, width / 1.6)
    circle(x, y - width / 3, width / 1.6)
    circle(x, y + width / 3, width / 1.6)
    fill("gold")
    circle(x, y, width / 3)


def bouquet(colour_a, colour_b):
    flower(160, 250, 90, colour_a)
    flower(300, 170, 110, colour_b)
    flower(440, 250, 90, colour_a)
    flower(230, 340, 70, colour_b)
    flower(370, 340, 70, colour_b)
    flower(300, 300, 60, colour_a)


def setup():
    size(600, 700)
    background("lavenderblush")
    bouquet("tomato", "mediumorchid")
    no_stroke()
    fill("steelblue")                           # the vase
    rect(220, 540, 160, 140, 30)
    fill("lightsteelblue")
    rect(220, 560, 160, 20)
