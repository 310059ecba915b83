"""Mixing colour: every colour on a screen is red, green and blue light, from 0 to 255 each.

fill(255, 0, 0) is pure red; fill(255, 255, 0) mixes red and green light into yellow. This
sketch paints a sunset sea out of mixed colours, and a row of paint chips at the bottom
shows the recipe of each one. Move the mouse left and right to mix in more or less blue.

What it teaches: fill(red, green, blue); 0 is none of that light, 255 is all of it; mixing
with variables; text() can show numbers.

Run it:   artkit course 24
Copy it:  artkit course 24 --copy      then: artkit run 24_mixing_colour.py
"""


def chip(x, red, green, blue):
    stroke(255)
    stroke_weight(3)
    fill(red, green, blue)
    rect(x, 500, 100, 70)
    no_stroke()
    fill(40)
    text_size(14)
    text(red, x + 5, 590)
    text(green, x + 38, 590)
    text(blue, x + 72, 590)


def setup():
    size(600, 620)


def draw():
    blue = map_range(mouse_x, 0, 600, 110, 230)
    background(245)
    no_stroke()
    fill(255, 120, blue)          # the sky, three bands
    rect(0, 0, 600, 160)
    fill(255, 160, blue)
    rect(0, 160, 600, 100)
    fill(255, 200, blue)
    rect(0, 260, 600, 60)
    fill(255, 230, 120)           # the sun
    circle(300, 320, 120)
    fill(40, 60, blue)            # the sea covers the bottom of the sun
    rect(0, 320, 600, 160)
    fill(255, 200, 120)           # its reflection
    rect(270, 340, 60, 8)
    rect(280, 365, 40, 6)
    rect(290, 390, 20, 5)

    chip(10, 255, 120, int(blue))
    chip(130, 255, 160, int(blue))
    chip(250, 255, 200, int(blue))
    chip(370, 255, 230, 120)
    chip(490, 40, 60, int(blue))
