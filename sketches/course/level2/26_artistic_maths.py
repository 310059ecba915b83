"""Artistic maths: lines, squares and sine waves make shapes and colour patterns.

The three rows of dots at the top each follow a rule. Linear: each dot is the same step
higher than the last, so they make a straight line. Squared: the height is the counter times
itself, so it curves up faster and faster. Sine: sin() goes smoothly up and down between -1
and 1 for ever, so the dots make waves. The ribbon underneath is nothing but sine waves:
they choose where each line starts and ends, and what colour it is.

What it teaches: y = 4 * i is a straight line; y = i * i curves; sin(angle) makes waves
(angles are in degrees, so sin repeats every 360); map_range() turns one range of numbers
into another.

Run it:   artkit course 26
Copy it:  artkit course 26 --copy      then: artkit run 26_artistic_maths.py
"""


def linear(i):
    circle(130 + i * 24, 110 - i * 4, 12)


def squared(i):
    circle(130 + i * 24, 240 - i * i / 4, 12)


def sine(i):
    circle(130 + i * 24, 320 + sin(i * 25) * 30, 12)


def ribbon(x):
    top = 530 + sin(x * 0.8) * 110
    bottom = 530 - sin(x * 0.8) * 110 + sin(x * 3) * 12
    red = map_range(sin(x * 1.5), -1, 1, 60, 255)
    blue = map_range(cos(x * 0.7), -1, 1, 120, 255)
    stroke(red, 90, blue)
    line(x, top, x, bottom)


def beads(x):
    no_stroke()
    fill(255, 230, 150)
    circle(x, 530 + sin(x * 0.8 + 90) * 110, 5 + 4 * sin(x * 2))


def setup():
    size(600, 700)
    background("#14121f")
    no_stroke()
    fill("white")
    text_size(18)
    text("linear", 20, 85)
    text("squared", 20, 205)
    text("sine", 20, 325)
    fill("#f4a261")
    repeat(0, 18, 1, linear)
    fill("#e76f51")
    repeat(0, 18, 1, squared)
    fill("#2a9d8f")
    repeat(0, 18, 1, sine)

    stroke_weight(2)
    repeat(0, 600, 3, ribbon)
    repeat(0, 600, 15, beads)
