"""More colour: HSB mode picks colours by hue (where on the rainbow), saturation and brightness.

colour_mode(HSB) changes what fill's numbers mean: the first is the hue, an angle round the
colour wheel from 0 to 360 (0 red, 60 yellow, 120 green, 240 blue); then saturation (0 grey
to 100 vivid) and brightness (0 black to 100 bright). Colours opposite each other on the
wheel (hue + 180) are complementary: they make each other glow.

What it teaches: colour_mode(HSB); walking round the colour wheel with a counter; picking a
colour and its complement; cos() and sin() place things round a circle.

Run it:   artkit course 27
Copy it:  artkit course 27 --copy      then: artkit run 27_more_colour.py
"""


def petal(angle):
    fill(angle, 80, 100)
    x = 300 + cos(angle) * 190
    y = 300 + sin(angle) * 190
    circle(x, y, 70)


def inner(angle):
    fill(angle + 180, 70, 90)        # the complement of the petal outside it
    circle(300 + cos(angle) * 120, 300 + sin(angle) * 120, 44)


def shade(i):
    fill(200, i * 10, 100)           # one hue, saturation from grey to vivid
    rect(i * 54, 560, 54, 40)
    fill(30, 100, i * 10)            # another hue, brightness from black to bright
    rect(i * 54, 600, 54, 40)


def setup():
    size(600, 640)
    colour_mode(HSB)
    background(240, 40, 15)
    no_stroke()
    repeat(0, 345, 15, petal)
    repeat(0, 345, 15, inner)
    fill(0, 0, 100)
    circle(300, 300, 150)
    fill(50, 90, 100)
    circle(300, 300, 110)
    repeat(0, 10, 1, shade)
